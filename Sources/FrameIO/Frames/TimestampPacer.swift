/// Releases frames at the times their stream stamps them (a clip's timestamps, which
/// may vary frame to frame), as `FramePacer` does for a fixed rate. The schedule
/// starts over, instead of bursting or stalling, when the consumer falls behind, when
/// a timestamp goes back, or when one jumps more than `longestWait` ahead (a damaged
/// or hostile clip must not freeze the picture for an hour).
public struct TimestampPacer: Sendable {
    public static let longestWait = 5.0
    /// Wall clock and stream time of the frame the schedule starts from.
    private var origin: (wall: Double, media: Double)?

    public init() {}

    /// Waits until the frame stamped `mediaTime` (seconds) is due; false when a stop
    /// was requested meanwhile.
    @discardableResult
    public mutating func wait(forMediaTime mediaTime: Double) -> Bool {
        let now = MonotonicClock.now()
        guard let origin, mediaTime.isFinite else {
            self.origin = (now, mediaTime.isFinite ? mediaTime : 0)
            return true
        }
        let due = origin.wall + (mediaTime - origin.media)
        if mediaTime < origin.media || due < now - 0.25 || due > now + Self.longestWait {
            self.origin = (now, mediaTime)
            return true
        }
        return MonotonicClock.sleep(until: due)
    }

    /// The next frame starts a new schedule (after a seek).
    public mutating func restart() { origin = nil }
}
