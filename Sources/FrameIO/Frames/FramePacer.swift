/// Releases frames at a steady rate (a recording's own frame rate). When the consumer
/// falls behind by more than a frame, the schedule restarts from now instead of
/// bursting to catch up, so playback never races.
public struct FramePacer: Sendable {
    public let interval: Double
    private var start: Double?
    private var released = 0

    public init(fps: Double) {
        interval = fps > 0 ? 1 / fps : 0
    }

    /// Waits until the next frame is due; false when a stop was requested meanwhile
    /// (the frame is then not released).
    @discardableResult
    public mutating func waitForNextFrame() -> Bool {
        let now = MonotonicClock.now()
        guard let start else {
            self.start = now
            released = 1
            return true
        }
        let due = start + Double(released) * interval
        if now > due + interval {
            self.start = now
            released = 1
            return true
        }
        guard MonotonicClock.sleep(until: due) else { return false }
        released += 1
        return true
    }
}
