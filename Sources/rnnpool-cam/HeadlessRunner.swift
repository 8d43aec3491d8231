import FrameIO
import LivePipeline
import RNNPoolEngine

/// `--headless`: reads frames, runs the detector, and writes one JSON line per frame.
/// Stops at the end of the source, after `maxFrames`, or when `shouldStop` says so
/// (SIGINT/SIGTERM); source errors propagate after the whole frames were reported.
struct HeadlessRunner {
    var source: any FrameSource
    var detector: (any FaceDetecting)?
    var threshold: Float
    var maxFrames: Int?
    /// Track faces across frames: steady boxes with an "id" (false: raw detections).
    var tracking = true
    var shouldStop: () -> Bool = { false }
    var emit: (String) -> Void

    /// Returns the number of frames reported and how many of them the detector failed on.
    func run() throws -> (reported: Int, failed: Int, lastFailure: String?) {
        let pipeline = LivePipeline(source: source, detector: detector, threshold: threshold, tracking: tracking,
                                    maxFrames: maxFrames)
        var lastError: String?
        let reported = try pipeline.runInline(shouldStop: shouldStop) { frame, outcome, fps in
            if let error = outcome.message, error != lastError {
                Console.note("frame \(frame.index): \(error)")
            }
            lastError = outcome.message
            emit(Self.line(frame: frame, outcome: outcome, fps: fps).rendered)
        }
        let state = pipeline.state
        return (reported, state.detectionsFailed, state.lastFailure)
    }

    static func line(frame: Frame, outcome: FrameOutcome, fps: Double?) -> JSONText {
        var fields: [(String, JSONText)] = [
            ("frame", .int(frame.index)),
            ("timestamp", .number(frame.timestamp, decimals: 4)),
            ("width", .int(frame.sourceSize.width)),
            ("height", .int(frame.sourceSize.height)),
            ("faces", OutputRecords.faces(frame.inSourcePixels(outcome.faces))),
            ("timings", .object([
                ("detect_ms", outcome.milliseconds.map { .number($0, decimals: 3) } ?? .null),
                ("fps", fps.map { .number($0, decimals: 2) } ?? .null),
            ])),
            ("memory", outcome.memory.map { OutputRecords.memory($0, frameFailed: outcome.error != nil) } ?? .null),
        ]
        if let error = outcome.message { fields.append(("error", .string(error))) }
        return .object(fields)
    }
}
