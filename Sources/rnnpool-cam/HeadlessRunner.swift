import FrameIO
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

    /// Returns the number of frames reported.
    func run() throws -> Int {
        var reported = 0
        var lastError: String?
        var fps = FPSMeter()
        var tracker = FaceTracker()
        while !shouldStop() {
            if let maxFrames, reported >= maxFrames { break }
            guard let frame = try source.nextFrame() else { break }
            var detection = FrameDetection.run(detector, on: frame,
                                               threshold: tracking ? tracker.detectionThreshold(for: threshold) : threshold)
            if tracking {
                if detection.error == nil {
                    detection.faces = tracker.update(detection.faces, threshold: threshold)
                } else {
                    tracker.reset()
                }
            }
            if let error = detection.error, error != lastError {
                Console.note("frame \(frame.index): \(error)")
            }
            lastError = detection.error
            emit(Self.line(frame: frame, detection: detection, fps: fps.tick()).rendered)
            reported += 1
        }
        return reported
    }

    static func line(frame: Frame, detection: FrameDetection, fps: Double?) -> JSONText {
        var fields: [(String, JSONText)] = [
            ("frame", .int(frame.index)),
            ("timestamp", .number(frame.timestamp, decimals: 4)),
            ("width", .int(frame.width)),
            ("height", .int(frame.height)),
            ("faces", OutputRecords.faces(detection.faces)),
            ("timings", .object([
                ("detect_ms", detection.milliseconds.map { .number($0, decimals: 3) } ?? .null),
                ("fps", fps.map { .number($0, decimals: 2) } ?? .null),
            ])),
            ("memory", detection.memory.map { OutputRecords.memory($0, frameFailed: detection.error != nil) } ?? .null),
        ]
        if let error = detection.error { fields.append(("error", .string(error))) }
        return .object(fields)
    }
}

/// Frames per second over the last second or so of wall time.
struct FPSMeter {
    private var stamps: [Double] = []

    mutating func tick() -> Double? {
        let now = MonotonicClock.now()
        stamps.append(now)
        while let first = stamps.first, now - first > 1.0, stamps.count > 2 { stamps.removeFirst() }
        guard stamps.count >= 2, let first = stamps.first, now > first else { return nil }
        return Double(stamps.count - 1) / (now - first)
    }
}
