import Foundation

/// Events per second over the last second or so (at most `capacity` events), for the
/// capture and detector FPS figures.
struct RateMeter: Sendable {
    private var times: [Double] = []
    private let capacity: Int
    private let window: Double

    init(capacity: Int = 60, window: Double = 2.0) {
        self.capacity = capacity
        self.window = window
    }

    mutating func record(at time: Double) {
        times.append(time)
        if times.count > capacity { times.removeFirst(times.count - capacity) }
        while let first = times.first, time - first > window, times.count > 2 { times.removeFirst() }
    }

    /// nil until two events are in, or when the last one is older than the window
    /// (the stream stalled or ended).
    func rate(now: Double) -> Double? {
        guard times.count >= 2, let first = times.first, let last = times.last, last > first,
              now - last <= window else { return nil }
        return Double(times.count - 1) / (last - first)
    }
}

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
