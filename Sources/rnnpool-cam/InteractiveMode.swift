import FrameIO
import RNNPoolEngine

/// What the interactive terminal UI needs from the command line.
struct InteractiveSettings {
    var threshold: Float
    var ramCapBytes: Int
    /// Where the `r` (record) and `s` (save frame) keys write.
    var outputDirectory: String
    var sourceLabel: String
}

/// The one call into the interactive UI (`rnnpool-cam [SOURCE]` without --headless).
///
/// Wiring note for the merge: when TerminalUI's LiveUI lands, `isBuiltIn` becomes true
/// and `run` becomes
///
///     let options = LiveOptions(threshold: settings.threshold, ramCapBytes: settings.ramCapBytes,
///                               outputDirectory: settings.outputDirectory, sourceLabel: settings.sourceLabel)
///     let summary = try LiveUI.run(source: source, detector: detector, options: options)
///     // then print what the summary says (after the terminal is restored)
///
/// (and `import TerminalUI` above). The UI installs its own SIGINT/SIGTERM handling.
enum InteractiveMode {
    static let isBuiltIn = false

    /// Checked before the camera is opened, so a missing UI never grabs the device.
    static func requireBuiltIn() throws {
        guard isBuiltIn else {
            throw CLIFailure(message: "the interactive terminal UI is not built into this binary; run with --headless for one JSON line per frame", exitCode: 2)
        }
    }

    static func run(source: any FrameSource, detector: (any FaceDetecting)?, settings: InteractiveSettings) throws {
        try requireBuiltIn()
    }
}
