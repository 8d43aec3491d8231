import ArgumentParser
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
    /// Steady boxes with ids (false: --no-track, raw detections).
    var tracking: Bool = true
    /// --frames: the source ends after this many frames.
    var maxFrames: Int?
}

/// The one call into the interactive UI (`rnnpool-cam [SOURCE]` without --headless).
/// The UI installs its own SIGINT/SIGTERM handling, since it must restore the terminal.
enum InteractiveMode {
    static func run(source: any FrameSource, detector: (any FaceDetecting)?, settings: InteractiveSettings) throws {
        let options = LiveOptions(threshold: settings.threshold, ramCapBytes: settings.ramCapBytes,
                                  outputDirectory: settings.outputDirectory, sourceLabel: settings.sourceLabel,
                                  tracking: settings.tracking, maxFrames: settings.maxFrames)
        let summary: LiveSummary
        // libv4l2 writes to stderr, which the screen covers: kept until the terminal is restored.
        LibV4L2Messages.collect()
        do {
            defer {
                for line in LibV4L2Messages.release() { Console.note("libv4l2 said: \(line)") }
            }
            summary = try LiveUI.run(source: source, detector: detector, options: options)
        } catch let error as TerminalUnavailableError {
            throw CLIFailure(message: error.description)   // one line, like every other failure
        }
        // The terminal is restored by now: say what the session left behind.
        for path in summary.recordings { Console.note("recorded \(path)") }
        for path in summary.stills { Console.note("saved \(path)") }
        if let error = summary.sourceError {
            throw CLIFailure(message: "\(error) (after \(summary.framesCaptured) frames)")
        }
        // Ended by a signal: exit as a shell reports it (130 SIGINT, 143 SIGTERM, …).
        if let signal = summary.endReason.signal { throw ExitCode(128 + signal) }
        if summary.framesFailed > 0 {
            throw CLIFailure(message: FailedFrames.summary(failed: summary.framesFailed,
                                                           of: summary.framesFailed + summary.framesDetected,
                                                           last: summary.lastFailure))
        }
    }
}
