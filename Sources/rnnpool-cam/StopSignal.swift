import ArgumentParser
import Foundation
import FrameIO

/// SIGINT, SIGTERM, SIGHUP and SIGQUIT ask the running mode (headless, record, detect)
/// to stop after the current frame, so that a recording ends on a whole frame and the
/// camera is released properly. They raise FrameIO's `StopRequest`, which every wait for
/// a frame (pacing, camera polls) checks, so the stop is prompt even when the next frame
/// is far off. Installed first thing in `RNNPoolCam.main`, before anything can block;
/// the terminal UI puts its own handlers over these while it owns the screen.
///
/// No SA_RESTART: a system call blocked when the signal lands (opening a FIFO that has
/// no writer, a read from it) returns EINTR instead of blocking again, and the mode ends
/// with the signal's status. The same signal a second time ends the process at once.
enum StopSignal {
    static let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    static func install() {
        var action = sigaction()
        // Storing to an atomic and _exit are async-signal-safe; the handler does nothing else.
        action.__sigaction_handler.sa_handler = { signal in
            if StopRequest.signalNumber == signal { _exit(128 + signal) }
            StopRequest.request(by: signal)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        for s in signals { sigaction(s, &action, nil) }
    }

    static var requested: Bool { StopRequest.isRequested }

    /// "SIGINT" / "SIGTERM", once a stop was requested.
    static var name: String? {
        switch StopRequest.signalNumber {
        case 0: return nil
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        case SIGQUIT: return "SIGQUIT"
        case let s: return "signal \(s)"
        }
    }

    /// Exits the way a shell reports a run a signal ended: 128 + the signal (130 for
    /// SIGINT, 143 for SIGTERM), once the run has finished its work cleanly.
    /// `saying`: first say on stderr which signal stopped the run.
    static func exitIfStopped(saying: Bool = false) throws {
        let signal = StopRequest.signalNumber
        guard signal != 0 else { return }
        if saying, let name { Console.note("stopped by \(name)") }
        throw ExitCode(128 + signal)
    }
}
