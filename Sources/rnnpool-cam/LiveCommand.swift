import ArgumentParser
import Foundation
import FrameIO

/// `rnnpool-cam [SOURCE]`: the default mode. Plays a camera, a clip or a .y4m file through the
/// detector, in the terminal UI or, with --headless, as JSON lines.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Detect faces live from a camera, a video clip or a .y4m file (the default when no subcommand is given)."
    )

    @Argument(help: "A V4L2 camera (/dev/videoN), a video clip (MP4, MKV, WebM…) or a .y4m file. Default: /dev/video0 if present, else the bundled demo.")
    var source: String?

    @Flag(help: "No UI: print one JSON line per frame on stdout.")
    var headless = false

    @Option(parsing: .unconditional, help: "Stop after this many frames.")
    var frames: Int?

    @Flag(name: .customLong("no-track"),
          help: "Show each frame's raw detections instead of tracked faces (steady boxes with ids).")
    var noTrack = false

    @Option(name: .customLong("output-dir"), help: "Where the UI's r (record) and s (save frame) keys write.")
    var outputDirectory: String = "."

    @OptionGroup var detectorOptions: DetectorOptions
    @OptionGroup var sourceOptions: SourceOptions

    func validate() throws {
        if let frames, frames < 1 {
            throw optionError("--frames must be at least 1 (got \(frames))")
        }
        // Found now rather than when r or s is first pressed, minutes into a session.
        if !headless, let problem = Self.outputDirectoryProblem(outputDirectory) {
            throw optionError("--output-dir \(outputDirectory): \(problem) (the UI's r and s keys write there)")
        }
    }

    /// Why `path` cannot take recordings and stills, or nil when it can.
    static func outputDirectoryProblem(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such directory" }
        guard isDirectory.boolValue else { return "not a directory" }
        guard access(path, W_OK | X_OK) == 0 else { return "not writable" }
        return nil
    }

    func run() throws {
        try reportingFailures {
            let path = try SourceOpening.resolve(source)
            let frameSource = try SourceOpening.open(path, options: sourceOptions)
            defer { frameSource.close() }
            let detector = try DetectorLoading.loadDetector(detectorOptions)
            if headless {
                let runner = HeadlessRunner(source: frameSource, detector: detector,
                                            threshold: detectorOptions.threshold(for: detector), maxFrames: frames,
                                            tracking: !noTrack,
                                            shouldStop: { StopSignal.requested }, emit: Console.emit)
                let run = try runner.run()
                try StopSignal.exitIfStopped()
                if run.failed > 0 {
                    throw CLIFailure(message: FailedFrames.summary(failed: run.failed, of: run.reported, last: run.lastFailure))
                }
            } else {
                let settings = InteractiveSettings(threshold: detectorOptions.threshold(for: detector),
                                                   ramCapBytes: detectorOptions.ramCap.bytes,
                                                   outputDirectory: outputDirectory,
                                                   sourceLabel: frameSource.label, tracking: !noTrack,
                                                   maxFrames: frames)
                try InteractiveMode.run(source: frameSource, detector: detector, settings: settings)
            }
        }
    }
}
