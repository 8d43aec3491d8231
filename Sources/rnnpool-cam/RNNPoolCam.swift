import ArgumentParser

@main
struct RNNPoolCam: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnnpool-cam",
        abstract: "Terminal face detection with RNNPool under a microcontroller-sized RAM cap.",
        version: "0.1.0",
        subcommands: [BenchCommand.self]
    )

    func run() throws {}
}
