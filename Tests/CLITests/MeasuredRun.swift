import Foundation
import XCTest

/// Runs the binary under GNU time (`/usr/bin/time`, Debian package `time`, which
/// scripts/setup.sh installs) to learn its peak resident set size: the figure the
/// hostile-input tests hold under 100 MB. The test process cannot measure it itself:
/// Linux hands a spawning process's own high-water mark on to the child it execs, and
/// the test process is far bigger than the binary. GNU time is small, so the child it
/// forks starts clean.
struct MeasuredRun {
    var result: BinaryRunner.Result
    /// Set when the child died by a signal.
    var signal: Int32?
    var peakResidentBytes: Int

    static let time = "/usr/bin/time"

    static func run(_ arguments: [String], environment: [String: String] = [:], directory: String,
                    addressSpaceLimitKiB: Int) throws -> MeasuredRun {
        guard FileManager.default.isExecutableFile(atPath: time) else {
            // A failure, not a skip: setup.sh installs it, and a missing check must not pass.
            throw BinaryRunner.MissingBinary(message: "\(time) is missing (Debian package `time`; run scripts/setup.sh)")
        }
        let report = directory + "/time-\(UUID().uuidString).txt"
        // The address-space cap makes a header-sized allocation fail outright, so a
        // regression shows even where RSS would not grow (pages never touched).
        let script = "ulimit -v \(addressSpaceLimitKiB) && exec \"$0\" \"$@\""
        let child = try BinaryRunner.launch(time, ["-f", "%M", "-o", report, "/bin/sh", "-c", script,
                                                   try BinaryRunner.binaryPath()] + arguments,
                                            environment: environment, directory: directory)
        let result = BinaryRunner.collect(child)
        let lines = ((try? String(contentsOfFile: report, encoding: .utf8)) ?? "").split(separator: "\n")
        try? FileManager.default.removeItem(atPath: report)
        // "Command terminated by signal N" precedes the figure when the child was killed.
        let signal = lines.first { $0.hasPrefix("Command terminated by signal ") }
            .flatMap { Int32($0.split(separator: " ").last ?? "") }
        let kib = lines.last.flatMap { Int($0) } ?? Int.max / 1024
        return MeasuredRun(result: result, signal: signal, peakResidentBytes: kib * 1024)
    }
}
