import FrameIO
import RNNPoolEngine
import TerminalUI

/// What the interactive terminal UI needs from the command line.
struct InteractiveSettings {
    var threshold: Float
    var ramCapBytes: Int
    /// Where the `r` (record) and `s` (save frame) keys write.
    var outputDirectory: String
    var sourceLabel: String
}

/// The one call into the interactive UI (`rnnpool-cam [SOURCE]` without --headless).
enum InteractiveMode {
    static let isBuiltIn = true

    /// Checked before the camera is opened, so a missing UI never grabs the device.
    static func requireBuiltIn() throws {
        guard isBuiltIn else {
            throw CLIFailure(message: "the interactive terminal UI is not built into this binary; run with --headless for one JSON line per frame", exitCode: 2)
        }
    }

    static func run(source: any FrameSource, detector: (any FaceDetecting)?, settings: InteractiveSettings) throws {
        try requireBuiltIn()
        let options = LiveOptions(threshold: settings.threshold, ramCapBytes: settings.ramCapBytes,
                                  outputDirectory: settings.outputDirectory, sourceLabel: settings.sourceLabel)
        let summary: LiveSummary
        do {
            summary = try LiveUI.run(source: source, detector: detector, options: options)
        } catch let error as TerminalUnavailableError {
            throw CLIFailure(message: error.description)
        }
        // The terminal is restored by now: say what was written, and fail on a broken source.
        for path in summary.recordings { Console.note("recorded \(path)") }
        for path in summary.stills { Console.note("saved \(path)") }
        if let error = summary.sourceError { throw CLIFailure(message: error) }
    }
}
