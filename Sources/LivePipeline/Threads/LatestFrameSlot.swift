import Foundation
import FrameIO

/// A one-frame mailbox between the capture thread and the detector thread. Putting a
/// frame into a full slot replaces the waiting one and counts it as dropped, so a slow
/// detector always works on the newest frame and nothing queues up behind it.
///
/// @unchecked Sendable: all state is guarded by `condition`'s lock.
public final class LatestFrameSlot: @unchecked Sendable {
    private let condition = NSCondition()
    private var frame: Frame?
    private var closed = false
    private var droppedCount = 0

    public init() {}

    public var dropped: Int { condition.withLock { droppedCount } }

    public func put(_ newFrame: Frame) {
        condition.withLock {
            if frame != nil { droppedCount += 1 }
            frame = newFrame
            condition.signal()
        }
    }

    /// Waits for a frame; nil once the slot is closed.
    public func take() -> Frame? {
        condition.withLock {
            while frame == nil && !closed { condition.wait() }
            if closed { return nil }
            defer { frame = nil }
            return frame
        }
    }

    public func close() {
        condition.withLock {
            closed = true
            condition.broadcast()
        }
    }
}
