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

    /// Sleeps until the monotonic clock reads `deadline` (returns at once if past).
    public static func sleep(until deadline: Double) {
        while true {
            let remaining = deadline - now()
            if remaining <= 0 { return }
            var ts = timespec(tv_sec: Int(remaining), tv_nsec: Int((remaining - Double(Int(remaining))) * 1e9))
            // A signal (SIGWINCH, SIGINT) cuts nanosleep short: go round again so pacing
            // stays right. Callers that watch a stop flag see it within one frame.
            _ = nanosleep(&ts, nil)
        }
    }
}
