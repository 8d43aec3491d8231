import ArgumentParser
import Foundation
import TerminalUI

@main
struct RNNPoolCam: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnnpool-cam",
        abstract: "Terminal face detection with RNNPool under a microcontroller-sized RAM cap.",
        usage: """
        rnnpool-cam [SOURCE] [options]                  live detection (the default mode)
        rnnpool-cam record SOURCE -o out.y4m [options]  record to a .y4m file
        rnnpool-cam detect FILE... [--json]             faces in still images
        rnnpool-cam bench [options]                     speed and memory figures
        """,
        discussion: liveHelp,
        version: RNNPoolCam.version,
        // Each mode is its own file; new ones (bench) join this list.
        subcommands: [LiveCommand.self, RecordCommand.self, DetectCommand.self, BenchCommand.self, M4ImageCommand.self],
        defaultSubcommand: LiveCommand.self
    )

    /// What the top-level --help says of the default mode: SOURCE, the live options (as
    /// `rnnpool-cam live --help` prints them) and the terminal UI's keys.
    static var liveHelp: String {
        let live = LiveCommand.helpMessage(columns: 80)
        let options = (live.range(of: "OPTIONS:").map { String(live[$0.upperBound...]) } ?? "")
            .trimmingCharacters(in: .newlines)
        let keys = HelpOverlay.keys.map { "  " + $0.key.padding(toLength: 10, withPad: " ", startingAt: 0) + $0.action }
        return """
        Without a subcommand, plays SOURCE (a V4L2 camera such as /dev/video0, a video \
        clip such as an MP4, MKV or WebM, or a .y4m file) through the detector, in the \
        terminal UI or, with --headless, as one JSON line per frame. Without SOURCE it uses /dev/video0 when it exists, else the \
        bundled demo clip.

        LIVE OPTIONS:\(options.isEmpty ? "" : "\n" + options)

        KEYS (terminal UI):
        \(keys.joined(separator: "\n"))
        """
    }

    static let version = "0.1.0"

    /// ArgumentParser's own entry, except that a command-line error is one line naming
    /// what is wrong (its control bytes escaped) and one hint, with exit status 64,
    /// instead of its Error/Help/Usage block that echoes the bytes raw. --help and
    /// --version print as ArgumentParser prints them.
    static func main() {
        // Before anything else, so that a stop signal is never met by its default action
        // once the program runs (a recording interrupted at once leaves no half file).
        StopSignal.install()
        // Top-level --version also names the model and its training (VersionText).
        if Array(CommandLine.arguments.dropFirst()) == ["--version"] {
            Console.emit(VersionText.text())
            return
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code != .success, !(error is ExitCode) else { exit(withError: error) }
            let text = fullMessage(for: error)
            // Empty: the option's own check already said what is wrong (optionError).
            guard !text.isEmpty else { Foundation.exit(code.rawValue) }
            let first = text.split(separator: "\n").first.map(String.init) ?? "\(error)"
            let message = first.hasPrefix("Error: ") ? String(first.dropFirst("Error: ".count)) : first
            Console.note(message)
            Console.note("see rnnpool-cam --help (each subcommand has --help too)")
            Foundation.exit(code.rawValue)
        }
    }
}
