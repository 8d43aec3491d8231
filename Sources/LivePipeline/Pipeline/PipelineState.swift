import FrameIO
import RNNPoolEngine

/// What the pipeline's threads publish: the newest frame, the newest outcome, the rates
/// and counters. The UI reads a copy (`LivePipeline.state`) and draws it.
public struct PipelineState: Sendable {
    public var latestFrame: Frame?
    public var framesCaptured = 0
    public var captureRate = RateMeter()
    public var endOfSource = false
    /// The source's error when it failed mid-run (one line naming the file or device).
    public var sourceError: String?

    /// The newest frame the detector finished without failing.
    public var detection: FrameOutcome?
    /// The newest failure, worded for a screen (the advice when there is one); nil
    /// once a frame succeeds again.
    public var detectorError: String?
    /// What the detector needs per frame, once a frame failed for want of RAM.
    public var requiredArenaBytes: Int?
    public var memory: MemorySnapshot?
    public var detectionsCompleted = 0
    /// Frames the detector failed on (a too-small --ram-cap), and the last failure.
    public var detectionsFailed = 0
    public var lastFailure: String?
    public var detectorRate = RateMeter()

    /// Set through `LivePipeline`, read by its threads.
    public var threshold: Float
    public var paused = false
    var stopping = false
    /// The player's requests, carried out by the capture thread: move by this many
    /// frames from the last one delivered (SeekableFrameSource), and deliver this many
    /// frames even while paused.
    var pendingSeek: Int?
    var pendingSteps = 0
    /// Seeks the source could not make (FFmpeg could not move in the file): the UI says so
    /// rather than leave a key that seems to do nothing.
    public var seeksRefused = 0

    /// Bumped on every change a screen shows, so a UI redraws only then.
    public var version = 0

    init(threshold: Float, memory: MemorySnapshot?) {
        self.threshold = threshold
        self.memory = memory
    }

    /// Takes in a frame the source delivered.
    mutating func recordCaptured(_ frame: Frame, at now: Double) {
        latestFrame = frame
        framesCaptured += 1
        captureRate.record(at: now)
        version &+= 1
    }

    /// Takes in one frame's outcome.
    mutating func record(_ outcome: FrameOutcome, at now: Double) {
        memory = outcome.memory ?? memory
        if outcome.error == nil {
            detection = outcome
            detectorError = nil
            detectionsCompleted += 1
            detectorRate.record(at: now)
        } else {
            detection = nil
            detectionsFailed += 1
            lastFailure = outcome.message
            detectorError = outcome.advice ?? outcome.error
            requiredArenaBytes = outcome.requiredArenaBytes
        }
        version &+= 1
    }
}
