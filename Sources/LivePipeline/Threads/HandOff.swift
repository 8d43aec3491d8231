/// Hands a non-Sendable object (the frame source, the detector) to the one thread that
/// uses it from then on.
///
/// @unchecked Sendable: the owner stops touching `value` once the thread starts; the
/// pipeline only closes the source after the capture thread has finished.
final class HandOff<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// The frame processor (and its tracker), owned by the one thread that runs detections:
/// the detector thread, or the caller of `runInline`.
final class ProcessorOwner: @unchecked Sendable {
    var value: FrameProcessor
    init(_ value: FrameProcessor) { self.value = value }
}
