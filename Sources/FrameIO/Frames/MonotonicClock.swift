#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds on the monotonic clock: what frame pacing and capture timestamps use, so
/// that wall-clock jumps (NTP, suspend) never stall or rush playback.
public enum MonotonicClock {
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Sleeps until the monotonic clock reads `deadline` (returns at once if past), or
    /// until a stop is requested: returns false then. Sleeps in short slices, so a
    /// signal that lands just before a slice starts is still seen within one slice.
    @discardableResult
    public static func sleep(until deadline: Double) -> Bool {
        while true {
            if StopRequest.isRequested { return false }
            let remaining = min(deadline - now(), StopRequest.checkInterval)
            if remaining <= 0 { return true }
            var ts = timespec(tv_sec: 0, tv_nsec: Int(remaining * 1e9))
            _ = nanosleep(&ts, nil)
        }
    }
}
