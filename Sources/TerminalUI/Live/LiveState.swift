import FrameIO
import RNNPoolEngine
import Synchronization

/// The newest detector outcome, with the size of the frame it ran on.
struct DetectionOutcome: Sendable {
    var faces: [FaceBox]
    var frameWidth: Int
    var frameHeight: Int
    var milliseconds: Double
    var memory: MemorySnapshot
}

/// What the capture and detector threads publish and the main thread draws.
struct LiveState: Sendable {
    var latestFrame: Frame?
    var framesCaptured = 0
    var captureRate = RateMeter()
    var endOfSource = false
    var sourceError: String?

    var detection: DetectionOutcome?
    var detectorError: String?
    /// What the detector needs per frame, once a frame failed for want of RAM.
    var requiredArenaBytes: Int?
    var memory: MemorySnapshot?
    var detectionsCompleted = 0
    var detectorRate = RateMeter()

    /// Set by the main thread, read by the others.
    var threshold: Float
    var paused = false
    var stopping = false

    /// Bumped on every change the screen shows, so the main loop redraws only then.
    var version = 0
}

/// The state shared by the three threads, behind a Mutex (Sendable by construction).
final class LiveShared: Sendable {
    let state: Mutex<LiveState>

    init(threshold: Float, memory: MemorySnapshot?) {
        var initial = LiveState(threshold: threshold)
        initial.memory = memory
        state = Mutex(initial)
    }
}

/// Hands a non-Sendable object (the frame source, the detector) to the one thread that
/// uses it from then on.
///
/// @unchecked Sendable: the owner stops touching `value` once the thread starts; the
/// main thread only closes the source after the capture thread has finished.
final class HandOff<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
