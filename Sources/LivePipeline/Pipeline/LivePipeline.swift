import Foundation
import FrameIO
import RNNPoolEngine
import Synchronization

/// Frames in, outcomes out: the one live loop of rnnpool-cam.
///
/// `start()` runs it on two threads for the terminal UI. Capture never waits for
/// detection: it puts each frame into the detector's one-frame slot (replacing, and
/// counting as dropped, a frame the detector has not started yet), feeds the recording,
/// and publishes the frame for drawing at once. The detector thread takes the newest
/// frame whenever it is free and publishes its `FrameOutcome`. The UI reads `state`.
///
/// `runInline` (LivePipeline+Inline.swift) runs the same steps one frame after another
/// on the caller's thread for the headless mode, which reports every frame.
public final class LivePipeline: Sendable {
    let shared: Mutex<PipelineState>
    private let slot: LatestFrameSlot?
    let source: HandOff<any FrameSource>
    let processor: ProcessorOwner
    /// The `r` recording, fed by the capture thread with every captured frame.
    public let recording = RecordingSession()
    /// The source's own frame rate, when it has one (a .y4m header, a camera's setting).
    public let nominalFPS: Double?
    public let hasDetector: Bool
    /// The source can move its play position (a clip or .y4m file, not a camera or a pipe).
    public let canSeek: Bool
    /// `--frames`: the source ends after this many frames, in the UI and headless alike.
    public let maxFrames: Int?
    private let threads = Mutex<(capture: ThreadFinished?, detector: ThreadFinished?)>((nil, nil))

    public init(source: any FrameSource, detector: (any FaceDetecting)?, threshold: Float, tracking: Bool,
                maxFrames: Int? = nil) {
        self.maxFrames = maxFrames
        shared = Mutex(PipelineState(threshold: threshold, memory: detector?.memory))
        slot = detector == nil ? nil : LatestFrameSlot()
        self.source = HandOff(source)
        processor = ProcessorOwner(FrameProcessor(detector: detector, tracking: tracking))
        nominalFPS = source.nominalFPS
        hasDetector = detector != nil
        canSeek = (source as? any SeekableFrameSource)?.canSeek ?? false
    }

    /// A copy of what the threads have published.
    public var state: PipelineState { shared.withLock { $0 } }

    /// Changes with every published change (cheaper than `state` for "redraw?").
    public var version: Int { shared.withLock { $0.version } }
    public var seeksRefused: Int { shared.withLock { $0.seeksRefused } }

    /// Frames the detector never saw because it was still busy with an earlier one.
    public var droppedFrames: Int { slot?.dropped ?? 0 }

    public func setThreshold(_ threshold: Float) { shared.withLock { $0.threshold = threshold } }
    public func setPaused(_ paused: Bool) { shared.withLock { $0.paused = paused } }

    /// Shows the frame `frames` after the one last delivered (−1: the one before it;
    /// requests made before the capture thread acts add up), paused or not; tracks
    /// restart there. Nothing on a source that cannot seek.
    public func seek(byFrames frames: Int) {
        guard canSeek else { return }
        shared.withLock {
            $0.pendingSeek = ($0.pendingSeek ?? 0) + frames
            if $0.paused { $0.pendingSteps = 1 }
        }
    }

    /// Delivers the next frame while paused.
    public func step() { shared.withLock { $0.pendingSteps += 1 } }

    /// Starts the capture and detector threads.
    public func start() {
        let capture = startCapture()
        let detector = startDetector()
        threads.withLock { $0 = (capture, detector) }
    }

    /// Stops in an order that leaves every file whole: capture (the only writer of the
    /// recording) first, then the recording is finalised, then the detector. Returns the
    /// recording that was still open, if any. A source stuck in a blocking read is left
    /// alone rather than closed under it.
    public func stop() -> RecordingSession.Finished? {
        shared.withLock { $0.stopping = true }
        slot?.close()
        let (capture, detector) = threads.withLock { $0 }
        let captureFinished = capture?.wait(seconds: 2) ?? true
        let finished = recording.stop()
        _ = detector?.wait(seconds: 2)
        if captureFinished { source.value.close() }
        return finished
    }

    /// Waits up to `seconds` for the capture thread to end (end of source); for tests.
    func waitForCapture(seconds: Double) -> Bool {
        threads.withLock { $0.capture }?.wait(seconds: seconds) ?? true
    }

    /// Waits up to `seconds` for the detector thread to end after `stop` closed its slot.
    func waitForDetector(seconds: Double) -> Bool {
        slot?.close()
        return threads.withLock { $0.detector }?.wait(seconds: seconds) ?? true
    }

    private func startCapture() -> ThreadFinished {
        let finished = ThreadFinished()
        let thread = Thread { [self] in
            defer { finished.signal() }
            while true {
                let (stopping, paused, seek) = shared.withLock { state -> (Bool, Bool, Int?) in
                    defer { state.pendingSeek = nil }
                    return (state.stopping, state.paused && state.pendingSteps == 0, state.pendingSeek)
                }
                if stopping { return }
                if let seek, let s = source.value as? any SeekableFrameSource, !s.seek(fromLastDeliveredBy: seek) {
                    shared.withLock {
                        $0.seeksRefused += 1
                        $0.version &+= 1
                    }
                }
                if paused {
                    usleep(10_000)
                    continue
                }
                shared.withLock { if $0.paused { $0.pendingSteps = max(0, $0.pendingSteps - 1) } }
                do {
                    let done = maxFrames.map { max in shared.withLock { $0.framesCaptured >= max } } ?? false
                    guard !done, let frame = try source.value.nextFrame() else {
                        shared.withLock {
                            $0.endOfSource = true
                            $0.version &+= 1
                        }
                        return
                    }
                    recording.append(frame)
                    slot?.put(frame)
                    let now = MonotonicClock.now()
                    shared.withLock { $0.recordCaptured(frame, at: now) }
                } catch {
                    let message = String(describing: error)
                    shared.withLock {
                        $0.sourceError = message
                        $0.version &+= 1
                    }
                    return
                }
            }
        }
        thread.name = "rnnpool-cam capture"
        thread.start()
        return finished
    }

    private func startDetector() -> ThreadFinished? {
        guard let slot else { return nil }
        let finished = ThreadFinished()
        let thread = Thread { [self] in
            defer { finished.signal() }
            while let frame = slot.take() {
                let threshold = shared.withLock { $0.threshold }
                let outcome = processor.value.process(frame, threshold: threshold)
                let now = MonotonicClock.now()
                shared.withLock { $0.record(outcome, at: now) }
            }
        }
        thread.name = "rnnpool-cam detector"
        thread.start()
        return finished
    }
}
