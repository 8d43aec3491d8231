import CNcurses
import Foundation
import FrameIO
import Synchronization

/// Signal handling for the live UI.
///
/// SIGINT, SIGTERM, SIGHUP (terminal closed, ssh dropped) and SIGQUIT only raise
/// `StopRequest`: the main loop sees it within one key timeout, stops the threads,
/// finalises a recording and restores the terminal normally, and the CLI exits with
/// 128 + the signal. The same signal a second time, while that shutdown is stuck,
/// restores the terminal and exits at once.
///
/// Crash signals cannot wait for the loop: their handler restores the terminal with
/// endwin() (not strictly async-signal-safe, but the process is dying and a wrecked
/// terminal is worse), says so in one line, and dies by the signal's default action.
/// It does not hand over to Swift's backtracer, whose "Press space" prompt would hold
/// a dying process for 30 s (`--headless` runs keep the backtracer).
enum TerminalRestorer {
    /// Whether ncurses owns the terminal, so a handler knows to call endwin().
    static let cursesActive = Atomic<Bool>(false)

    static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    static let crashSignals: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP]

    /// Handlers that were installed before ours, indexed by signal number. Written
    /// once by `install()` on the main thread before any handler can run, then only
    /// read by `uninstall()`.
    nonisolated(unsafe) private static var previous: [sigaction] = Array(repeating: sigaction(), count: 65)
    nonisolated(unsafe) private static var installed = false

    static func install() {
        // No reset: a stop asked for before the UI started (while the model loaded) ends it.
        guard !installed else { return }
        installed = true
        var stop = sigaction()
        stop.__sigaction_handler.sa_handler = { signal in
            if StopRequest.signalNumber == signal {
                // Asked twice: the orderly shutdown is not getting anywhere.
                TerminalRestorer.restoreAndExit(status: 128 + signal)
            }
            StopRequest.request(by: signal)
        }
        sigemptyset(&stop.sa_mask)
        stop.sa_flags = 0
        for signal in stopSignals {
            sigaction(signal, &stop, &previous[Int(signal)])
        }
        var crash = sigaction()
        crash.__sigaction_handler.sa_handler = { signal in
            if TerminalRestorer.cursesActive.load(ordering: .relaxed) {
                endwin()
                TerminalRestorer.say("rnnpool-cam: crashed; the terminal was restored\n")
            }
            var byDefault = sigaction()
            byDefault.__sigaction_handler.sa_handler = SIG_DFL
            sigaction(signal, &byDefault, nil)
            raise(signal)
        }
        sigemptyset(&crash.sa_mask)
        crash.sa_flags = Int32(SA_NODEFER)
        for signal in crashSignals {
            sigaction(signal, &crash, &previous[Int(signal)])
        }
    }

    /// Puts every handler back as it was before `install()`.
    static func uninstall() {
        guard installed else { return }
        installed = false
        for signal in stopSignals + crashSignals {
            var old = previous[Int(signal)]
            sigaction(signal, &old, nil)
        }
    }

    private static func restoreAndExit(status: Int32) -> Never {
        if cursesActive.load(ordering: .relaxed) { endwin() }
        _exit(status)
    }

    /// write(2) of a short message (no locks, no allocation beyond the literal's).
    private static func say(_ text: StaticString) {
        _ = write(STDERR_FILENO, text.utf8Start, text.utf8CodeUnitCount)
    }
}
