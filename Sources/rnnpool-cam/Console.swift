import ArgumentParser
import Foundation
import FrameIO

/// Where the CLI talks: JSON and results on stdout, one-line messages on stderr.
enum Console {
    static let programName = "rnnpool-cam"

    /// One line on stderr, prefixed with the program name.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(programName): \(message)\n".utf8))
    }

    /// One line on stdout, flushed at once so pipes see each frame as it happens.
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// A failure the CLI reports as one line on stderr, then exits non-zero.
struct CLIFailure: Error {
    var message: String
    var exitCode: Int32 = 1
}

/// Runs a mode's body and turns its failures into one line on stderr plus a non-zero
/// exit, instead of ArgumentParser's generic "Error: ..." output.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as CLIFailure {
        Console.note(failure.message)
        throw ExitCode(failure.exitCode)
    } catch let error as FrameSourceError {
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
