import Foundation
import XCTest

/// Output that cannot be written is an ordinary error: one line on stderr where stderr
/// works, exit status 1, never a trap (issue 19, F2).
final class OutputFailureTests: XCTestCase {
    /// Runs `script` in bash with $B set to the binary; returns (stdout+stderr of bash).
    private func shell(_ script: String) throws -> (output: String, status: Int32) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", script]
        p.environment = ProcessInfo.processInfo.environment.merging(["B": try BinaryRunner.binaryPath()]) { $1 }
        p.currentDirectoryURL = URL(fileURLWithPath: BinaryRunner.repoRoot)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), p.terminationStatus)
    }

    private func assertOneLineFailure(_ script: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try shell(script + "; echo \"status=$?\"")
        let lines = r.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.last, "status=1", r.output, file: file, line: line)
        XCTAssertEqual(lines.count, 2, "one message line, then the status: \(r.output)", file: file, line: line)
        XCTAssertTrue(lines.first?.hasPrefix("rnnpool-cam: cannot write to standard output: ") ?? false, r.output,
                      file: file, line: line)
    }

    func testAFullDiskIsOneLineAndExitOne() throws {
        let pgm = NSTemporaryDirectory() + "rnnpool-full-\(getpid()).pgm"
        defer { try? FileManager.default.removeItem(atPath: pgm) }
        XCTAssertTrue(FileManager.default.createFile(atPath: pgm, contents: Data("P5\n8 8\n255\n".utf8) + Data(count: 64)))
        try assertOneLineFailure("$B detect --json \(pgm) 2>&1 >/dev/full")
        try assertOneLineFailure("$B --headless --frames 2 --as-fast-as-possible assets/demo.y4m 2>&1 >/dev/full")
        try assertOneLineFailure("$B bench --frames 1 --warmup 0 --render-frames 0 --json 2>&1 >/dev/full")
    }

    func testAClosedStdoutIsOneLineAndExitOne() throws {
        try assertOneLineFailure("$B --headless --frames 2 --as-fast-as-possible assets/demo.y4m 2>&1 >&-")
    }

    func testABrokenPipeWithSIGPIPEIgnoredEndsWithAStatus() throws {
        let r = try shell("trap '' PIPE; $B --headless --loop --as-fast-as-possible assets/demo.y4m 2>/tmp/rnnpool-epipe.$$ | head -1 >/dev/null; "
                          + "echo \"status=${PIPESTATUS[0]}\"; cat /tmp/rnnpool-epipe.$$; rm -f /tmp/rnnpool-epipe.$$")
        let lines = r.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "status=1", r.output)
        XCTAssertEqual(lines.dropFirst(), ["rnnpool-cam: cannot write to standard output: Broken pipe"], r.output)
    }

    func testAnUnwritableStderrIsNoTrap() throws {
        let r = try shell("$B detect /nonexistent-\(getpid()).pgm 2>/dev/full; echo \"status=$?\"")
        XCTAssertEqual(r.output, "status=1\n")
    }
}
