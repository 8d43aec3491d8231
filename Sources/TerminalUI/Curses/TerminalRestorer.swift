import CNcurses
import Foundation
import Synchronization

/// Signal handling for the live UI.
///
/// SIGINT and SIGTERM only set a flag: the main loop sees it within one key timeout,
/// stops the threads, finalises a recording and restores the terminal normally.
/// Crash signals cannot wait for the loop: their handler restores the terminal with
/// endwin() (not strictly async-signal-safe, but the process is dying and a wrecked
/// terminal is worse), puts back the handler that was there before (the default, or
/// Swift's backtracer) and returns, so the fault repeats and is handled by it.
enum TerminalRestorer {
    /// The signal that asked us to stop, or 0.
    static let stopSignal = Atomic<Int32>(0)
    /// Whether ncurses owns the terminal, so a crash handler knows to call endwin().
    static let cursesActive = Atomic<Bool>(false)

    static let crashSignals: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP]

    /// Handlers that were installed before ours, indexed by signal number. Written
    /// once by `install()` on the main thread before any handler can run, then only
    /// read (from handlers).
    nonisolated(unsafe) private static var previous: [sigaction] = Array(repeating: sigaction(), count: 65)
    nonisolated(unsafe) private static var installed = false

    static func install() {
        stopSignal.store(0, ordering: .relaxed)
        guard !installed else { return }
        installed = true
        var stop = sigaction()
        stop.__sigaction_handler.sa_handler = { signal in
            TerminalRestorer.stopSignal.store(signal, ordering: .relaxed)
        }
        sigemptyset(&stop.sa_mask)
        stop.sa_flags = 0
        for signal in [SIGINT, SIGTERM] {
            sigaction(signal, &stop, &previous[Int(signal)])
        }
        var crash = sigaction()
        crash.__sigaction_handler.sa_handler = { signal in
            if TerminalRestorer.cursesActive.load(ordering: .relaxed) {
                endwin()
            }
            // Let the handler that was there before (Swift's backtracer, say) report it.
            var old = TerminalRestorer.previous[Int(signal)]
            sigaction(signal, &old, nil)
            raise(signal)
            // That handler may return (it does for a signal sent with kill): die by the
            // default action so a crash is never survived with a half-restored screen.
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
        for signal in [SIGINT, SIGTERM] + crashSignals {
            var old = previous[Int(signal)]
            sigaction(signal, &old, nil)
        }
    }
}
