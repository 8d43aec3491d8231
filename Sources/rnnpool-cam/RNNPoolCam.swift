import ArgumentParser

@main
struct RNNPoolCam: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnnpool-cam",
        abstract: "Terminal face detection with RNNPool under a microcontroller-sized RAM cap.",
        discussion: """
        Without a subcommand, plays SOURCE (a V4L2 camera such as /dev/video0, or a .y4m \
        file) through the detector: `rnnpool-cam [SOURCE] [--headless]`. Without SOURCE it \
        uses /dev/video0 when it exists, else the bundled demo clip.
        """,
        version: RNNPoolCam.version,
        // Each mode is its own file; new ones (bench) join this list.
        subcommands: [LiveCommand.self, RecordCommand.self, DetectCommand.self, BenchCommand.self, M4ImageCommand.self],
        defaultSubcommand: LiveCommand.self
    )

    static let version = "0.1.0"
}
