import FrameIO
import RNNPoolEngine

/// Frame → detect → track → advise: the one place a frame becomes a `FrameOutcome`,
/// for the live UI's detector thread and the headless mode alike.
///
/// With `tracking`, the detector runs a little below the threshold and a `FaceTracker`
/// (owned here, so by one thread) turns its detections into steady faces with ids;
/// without, the boxes are the detector's own. A detector failure is reported in the
/// outcome, not thrown: one bad frame must not end a stream.
public struct FrameProcessor {
    private let detector: (any FaceDetecting)?
    public let tracking: Bool
    private var tracker = FaceTracker()

    public init(detector: (any FaceDetecting)?, tracking: Bool) {
        self.detector = detector
        self.tracking = tracking
    }

    public mutating func process(_ frame: Frame, threshold: Float) -> FrameOutcome {
        var outcome = FrameOutcome(frameWidth: frame.width, frameHeight: frame.height)
        guard let detector else { return outcome }
        // A replay that started over: no ghost of the last pass's face, ids from 1 again.
        if frame.startsNewPass { tracker.restart() }
        let detectionThreshold = tracking ? tracker.detectionThreshold(for: threshold) : threshold
        do {
            let result = try frame.luma.withUnsafeBufferPointer {
                try detector.detect(luma: $0, width: frame.width, height: frame.height, threshold: detectionThreshold)
            }
            let inside = result.faces.compactMap { $0.clipped(width: frame.width, height: frame.height) }
            outcome.faces = tracking ? tracker.update(inside, threshold: threshold) : inside
            outcome.milliseconds = result.milliseconds
            outcome.memory = result.memory
        } catch {
            // Typically ArenaOverflowError under a too-small --ram-cap: show no stale
            // boxes, say what a whole frame needs, and try again on the next frame.
            tracker.reset()
            outcome.memory = detector.memory
            outcome.error = "\(error)"
            if let overflow = error as? ArenaOverflowError, let required = detector.requiredArenaBytes {
                // The bytes one allocation missed undersell it: say what a frame needs.
                outcome.requiredArenaBytes = required
                outcome.advice = RAMCapAdvice.tooSmall(capBytes: overflow.capBytes, requiredBytes: required)
            }
        }
        return outcome
    }
}

extension FaceBox {
    /// The box clipped to a `width` x `height` frame; nil when nothing of it is inside.
    func clipped(width: Int, height: Int) -> FaceBox? {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(Float(width), x + w), y1 = min(Float(height), y + h)
        guard x1 > x0, y1 > y0 else { return nil }
        return FaceBox(x: x0, y: y0, w: x1 - x0, h: y1 - y0, score: score, id: id)
    }
}
