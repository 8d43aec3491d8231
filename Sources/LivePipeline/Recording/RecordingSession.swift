import Foundation
import FrameIO

/// The `r` recording: started and stopped by the main thread, fed by the capture
/// thread with every captured frame (not just the drawn ones).
///
/// @unchecked Sendable: `FrameRecorder`s are not thread-safe, so every access to the
/// recorder and the fields below happens under `lock`.
public final class RecordingSession: @unchecked Sendable {
    public struct Finished: Equatable, Sendable {
        public var path: String
        public var frames: Int
        /// Set when writing failed; the recording was closed at that point.
        public var error: String?

        public init(path: String, frames: Int, error: String?) {
            self.path = path
            self.frames = frames
            self.error = error
        }
    }

    private let lock = NSLock()
    private var recorder: (any FrameRecorder)?
    private var path: String?
    private var failure: Finished?

    public init() {}

    public var isRecording: Bool { lock.withLock { recorder != nil } }

    /// Frames written so far, nil when not recording.
    public var framesWritten: Int? { lock.withLock { recorder?.framesWritten } }

    public func start(_ recorder: any FrameRecorder, path: String) {
        lock.withLock {
            self.recorder = recorder
            self.path = path
        }
    }

    /// Writes one frame if recording. A write error closes the recording; the main
    /// thread picks the error up with `takeFailure()`.
    public func append(_ frame: Frame) {
        lock.withLock {
            guard let recorder, let path else { return }
            do {
                try recorder.append(frame)
            } catch {
                try? recorder.close()
                failure = Finished(path: path, frames: recorder.framesWritten,
                                   error: "recording \(path) failed: \(error)")
                self.recorder = nil
                self.path = nil
            }
        }
    }

    /// Stops and finalises the file; nil when not recording.
    public func stop() -> Finished? {
        lock.withLock {
            guard let recorder, let path else { return nil }
            var result = Finished(path: path, frames: recorder.framesWritten, error: nil)
            do { try recorder.close() } catch { result.error = "closing \(path) failed: \(error)" }
            self.recorder = nil
            self.path = nil
            return result
        }
    }

    public func takeFailure() -> Finished? {
        lock.withLock {
            defer { failure = nil }
            return failure
        }
    }
}
