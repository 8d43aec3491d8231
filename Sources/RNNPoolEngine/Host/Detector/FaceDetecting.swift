/// What the rest of rnnpool-cam needs from a face detector. The RNNPool engine is the
/// real implementation; the UI and CLI tests use small fakes behind the same seam.
public protocol FaceDetecting: AnyObject {
    /// Finds faces in an 8-bit luma plane of `width` x `height` pixels (row stride =
    /// `width`). Boxes come back in that plane's pixels, best score first, only those
    /// with score >= `threshold`. Throws `ArenaOverflowError` when the RAM cap is too
    /// small for a layer; the caller reports it and carries on without crashing.
    func detect(luma: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                threshold: Float) throws -> DetectionResult

    /// Memory figures as of now (cap, current, peak, per-layer peaks, baseline).
    var memory: MemorySnapshot { get }

    /// The arena bytes one frame needs, whatever the cap; nil when unknown. What a
    /// too-small `--ram-cap` is told to grow to.
    var requiredArenaBytes: Int? { get }

    /// The detector's own score threshold (a model file's `score_threshold`, chosen on
    /// validation photos); nil when it has none.
    var defaultThreshold: Float? { get }
}

extension FaceDetecting {
    public var requiredArenaBytes: Int? { nil }
    public var defaultThreshold: Float? { nil }
}
