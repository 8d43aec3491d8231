import Foundation
import FrameIO
import RNNPoolEngine

/// The capture and detector threads. Capture never waits for detection: it puts each
/// frame into the detector's one-frame slot (replacing, and counting as dropped, a frame
/// the detector has not started yet) and publishes it for drawing at once.
enum WorkerThreads {
    /// Signalled once when a thread's loop has ended.
    final class Finished: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        func signal() { semaphore.signal() }
        /// True when the thread finished within `seconds`.
        func wait(seconds: Double) -> Bool {
            semaphore.wait(timeout: .now() + seconds) == .success
        }
    }

    static func startCapture(source: HandOff<any FrameSource>, shared: LiveShared,
                             slot: LatestFrameSlot?, recording: RecordingSession) -> Finished {
        let finished = Finished()
        let thread = Thread {
            defer { finished.signal() }
            while true {
                let (stopping, paused) = shared.state.withLock { ($0.stopping, $0.paused) }
                if stopping { return }
                if paused {
                    usleep(10_000)
                    continue
                }
                do {
                    guard let frame = try source.value.nextFrame() else {
                        shared.state.withLock {
                            $0.endOfSource = true
                            $0.version &+= 1
                        }
                        return
                    }
                    recording.append(frame)
                    slot?.put(frame)
                    let now = monotonicSeconds()
                    shared.state.withLock {
                        $0.latestFrame = frame
                        $0.framesCaptured += 1
                        $0.captureRate.record(at: now)
                        $0.version &+= 1
                    }
                } catch {
                    let message = String(describing: error)
                    shared.state.withLock {
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

    /// With `tracking`, the detector runs a little below the threshold and a
    /// `FaceTracker` (owned by this thread) turns its detections into steady faces with
    /// ids; without, the boxes are the detector's own.
    static func startDetector(detector: HandOff<any FaceDetecting>, shared: LiveShared,
                              slot: LatestFrameSlot, tracking: Bool) -> Finished {
        let finished = Finished()
        let thread = Thread {
            defer { finished.signal() }
            var tracker = FaceTracker()
            while let frame = slot.take() {
                let threshold = shared.state.withLock { $0.threshold }
                do {
                    let result = try frame.luma.withUnsafeBufferPointer {
                        try detector.value.detect(luma: $0, width: frame.width, height: frame.height,
                                                  threshold: tracking ? tracker.detectionThreshold(for: threshold) : threshold)
                    }
                    let faces = tracking ? tracker.update(result.faces, threshold: threshold) : result.faces
                    let now = monotonicSeconds()
                    shared.state.withLock {
                        $0.detection = DetectionOutcome(faces: faces, frameWidth: frame.width,
                                                        frameHeight: frame.height,
                                                        milliseconds: result.milliseconds,
                                                        memory: result.memory)
                        $0.memory = result.memory
                        $0.detectorError = nil
                        $0.detectionsCompleted += 1
                        $0.detectorRate.record(at: now)
                        $0.version &+= 1
                    }
                } catch {
                    // Typically ArenaOverflowError under a too-small --ram-cap: report it,
                    // show no stale boxes, and try again on the next frame.
                    tracker.reset()
                    var message = String(describing: error)
                    var required: Int?
                    if let overflow = error as? ArenaOverflowError {
                        // Say what the whole frame needs, not what one allocation missed.
                        required = detector.value.requiredArenaBytes
                        if let required {
                            message = RAMCapAdvice.tooSmall(capBytes: overflow.capBytes, requiredBytes: required)
                        }
                    }
                    let memory = detector.value.memory
                    shared.state.withLock {
                        $0.detection = nil
                        $0.requiredArenaBytes = required
                        $0.detectorError = message
                        $0.memory = memory
                        $0.version &+= 1
                    }
                }
            }
        }
        thread.name = "rnnpool-cam detector"
        thread.start()
        return finished
    }
}
