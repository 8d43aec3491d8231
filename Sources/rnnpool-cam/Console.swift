import ArgumentParser
import Foundation
import FrameIO
import InputSafety

/// Where the CLI talks: JSON and results on stdout, one-line messages on stderr.
///
/// Both are written with plain write(2), never through a path that traps on failure:
/// stdout that cannot take a line (a full disk, a closed pipe with SIGPIPE ignored, a
/// closed descriptor) ends the run with one line on stderr, where stderr works, and exit
/// status 1; a closed pipe under SIGPIPE's default ends it by the signal, as other tools
/// do. A message that stderr cannot take is dropped: there is nowhere left to say it.
enum Console {
    static let programName = "rnnpool-cam"

    /// One line on stderr, prefixed with the program name (and the subcommand, `mode`).
    /// Control bytes in it (from a file name, an option's value) are escaped, so it stays
    /// one line and cannot drive the terminal.
    static func note(_ message: String, mode: String? = nil) {
        _ = write(STDERR_FILENO, "\(programName)\(mode.map { " " + $0 } ?? ""): \(Printable.line(message))\n")
    }

    /// One line on stdout, written at once so pipes see each frame as it happens.
    static func emit(_ line: String) {
        if let code = write(STDOUT_FILENO, line + "\n") {
            note("cannot write to standard output: \(String(cString: strerror(code)))")
            exit(1)
        }
    }

    /// nil when every byte went out, else the errno.
    private static func write(_ fd: Int32, _ text: String) -> Int32? {
        Array(text.utf8).withUnsafeBytes { writeFully(fd, $0) }
    }
}

/// A failure the CLI reports as one line on stderr, then exits non-zero.
struct CLIFailure: Error {
    var message: String
    var exitCode: Int32 = 1
}

/// Runs a mode's body and turns its failures into one line on stderr plus a non-zero
/// exit, instead of ArgumentParser's generic "Error: ..." output. A failure that a stop
/// signal caused (a blocked open or read interrupted, StopSignal) ends with the
/// signal's status, not as an error.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as CLIFailure {
        try StopSignal.exitIfStopped(saying: true)
        Console.note(failure.message)
        throw ExitCode(failure.exitCode)
    } catch let error as FrameSourceError {
        try StopSignal.exitIfStopped(saying: true)
        Console.note(error.description)
        throw ExitCode(1)
    }
}

/// A bad option value as one line on stderr and exit status 64 (usage), without the
/// usage text ArgumentParser would add to a ValidationError.
func optionError(_ message: String) -> ExitCode {
    Console.note(message)
    return ExitCode(64)
}
