import FrameIO

/// Events per second over the last `window` seconds (at most `capacity` events): the
/// capture, detector and display rates of the live UI and the headless "fps".
public struct RateMeter: Sendable {
    private var times: [Double] = []
    private let capacity: Int
    private let window: Double

    public init(capacity: Int = 60, window: Double = 2.0) {
        self.capacity = capacity
        self.window = window
    }

    public mutating func record(at time: Double = MonotonicClock.now()) {
        times.append(time)
        if times.count > capacity { times.removeFirst(times.count - capacity) }
        while let first = times.first, time - first > window, times.count > 2 { times.removeFirst() }
    }

    /// nil until two events are in, or when the last one is older than the window
    /// (the stream stalled or ended).
    public func rate(now: Double = MonotonicClock.now()) -> Double? {
        guard times.count >= 2, let first = times.first, let last = times.last, last > first,
              now - last <= window else { return nil }
        return Double(times.count - 1) / (last - first)
    }
}
