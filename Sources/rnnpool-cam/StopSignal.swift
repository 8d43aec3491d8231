import Foundation
import Synchronization

/// SIGINT and SIGTERM ask the running mode to stop after the current frame, so that a
/// recording ends on a whole frame and the camera is released properly.
enum StopSignal {
    /// The signal that asked us to stop, or 0.
    private static let received = Atomic<Int32>(0)

    static func install() {
        // Storing to an atomic is async-signal-safe; the handler does nothing else.
        signal(SIGINT) { StopSignal.received.store($0, ordering: .relaxed) }
        signal(SIGTERM) { StopSignal.received.store($0, ordering: .relaxed) }
    }

    static var requested: Bool { received.load(ordering: .relaxed) != 0 }

    /// "SIGINT" / "SIGTERM", once a stop was requested.
    static var name: String? {
        switch received.load(ordering: .relaxed) {
        case 0: return nil
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case let s: return "signal \(s)"
        }
    }
}
