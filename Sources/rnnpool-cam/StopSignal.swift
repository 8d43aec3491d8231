import ArgumentParser
import Foundation
import FrameIO

/// SIGINT and SIGTERM ask the running mode (headless, record) to stop after the
/// current frame, so that a recording ends on a whole frame and the camera is released
/// properly. They raise FrameIO's `StopRequest`, which every wait for a frame (pacing,
/// camera polls) checks, so the stop is prompt even when the next frame is far off.
enum StopSignal {
    static func install() {
        StopRequest.reset()
        // Storing to an atomic is async-signal-safe; the handler does nothing else.
        signal(SIGINT) { StopRequest.request(by: $0) }
        signal(SIGTERM) { StopRequest.request(by: $0) }
    }

    static var requested: Bool { StopRequest.isRequested }

    /// "SIGINT" / "SIGTERM", once a stop was requested.
    static var name: String? {
        switch StopRequest.signalNumber {
        case 0: return nil
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case let s: return "signal \(s)"
        }
    }

    /// Exits the way a shell reports a run a signal ended: 128 + the signal (130 for
    /// SIGINT, 143 for SIGTERM), once the run has finished its work cleanly.
    static func exitIfStopped() throws {
        let signal = StopRequest.signalNumber
        if signal != 0 { throw ExitCode(128 + signal) }
    }
}
