import FrameIO
import RNNPoolEngine

/// One detector run over a frame as the CLI reports it.
struct FrameDetection {
    var faces: [FaceBox] = []
    var milliseconds: Double?
    var memory: MemorySnapshot?
    /// Set when the detector threw (e.g. the RAM cap is too small for a layer).
    var error: String?

    /// Runs `detector` (if any) on the frame's luma. Detector failures are reported in
    /// the result rather than thrown: one bad frame must not end a stream.
    static func run(_ detector: (any FaceDetecting)?, on frame: Frame, threshold: Float) -> FrameDetection {
        guard let detector else { return FrameDetection() }
        do {
            let result = try frame.luma.withUnsafeBufferPointer {
                try detector.detect(luma: $0, width: frame.width, height: frame.height, threshold: threshold)
            }
            let faces = result.faces.compactMap { $0.clipped(width: frame.width, height: frame.height) }
            return FrameDetection(faces: faces, milliseconds: result.milliseconds, memory: result.memory)
        } catch let overflow as ArenaOverflowError {
            // Add what a whole frame needs: the bytes one allocation missed undersell it.
            let advice = detector.requiredArenaBytes.map {
                "; " + RAMCapAdvice.tooSmall(capBytes: overflow.capBytes, requiredBytes: $0)
            } ?? ""
            return FrameDetection(memory: detector.memory, error: "\(overflow)\(advice)")
        } catch {
            return FrameDetection(memory: detector.memory, error: "\(error)")
        }
    }
}

extension FaceBox {
    /// The box clipped to a `width` x `height` frame; nil when nothing of it is inside.
    func clipped(width: Int, height: Int) -> FaceBox? {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(Float(width), x + w), y1 = min(Float(height), y + h)
        guard x1 > x0, y1 > y0 else { return nil }
        return FaceBox(x: x0, y: y0, w: x1 - x0, h: y1 - y0, score: score)
    }
}
