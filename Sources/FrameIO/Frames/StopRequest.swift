import Synchronization

/// The process-wide "stop now" that SIGINT and SIGTERM raise. Every wait in frame
/// input (pacing sleeps, camera polls, stall waits) checks it at least every
/// `StopRequest.checkInterval` seconds, so a stop is honoured at once even when the next
/// frame is an hour away. Setting it is async-signal-safe (one atomic store).
public enum StopRequest {
    private static let signal = Atomic<Int32>(0)

    /// Longest a wait sleeps before it looks at the flag again.
    public static let checkInterval = 0.05

    /// Called from a signal handler (or a test): `signal` is the number that asked.
    public static func request(by signal: Int32) { Self.signal.store(signal, ordering: .relaxed) }

    public static func reset() { signal.store(0, ordering: .relaxed) }

    public static var isRequested: Bool { signal.load(ordering: .relaxed) != 0 }

    /// The signal that asked for the stop, or 0.
    public static var signalNumber: Int32 { signal.load(ordering: .relaxed) }
}
