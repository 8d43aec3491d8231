import Foundation
import XCTest

/// SIGINT and SIGTERM stop a replay at once even when the next frame is an hour away
/// (the pacing sleep wakes for them), and the exit status says which signal it was.
final class SignalTests: XCTestCase {
    static let oneFramePerHour = HostileInputTests.repro + "hang-sigint-ignored-fps-1-per-hour.y4m"
    let scratch = Scratch()

    /// Sends `signal` once `ready` holds and returns the result and the seconds the
    /// process took to end after the signal.
    func stop(_ child: BinaryRunner.Child, with signal: Int32, when ready: () -> Bool) -> (BinaryRunner.Result, Double) {
        XCTAssertTrue(waitUntil(ready), "the run never got going")
        let sent = Date()
        kill(child.pid, signal)
        // Generous for a loaded machine; without the fix the run would wait an hour.
        XCTAssertTrue(waitUntil(timeout: 10) { !child.process.isRunning }, "still running 10 s after the signal")
        if child.process.isRunning { kill(child.pid, SIGKILL) }
        let seconds = Date().timeIntervalSince(sent)
        return (BinaryRunner.collect(child), seconds)
    }

    func testHeadlessStopsAtOnceDuringAnHourLongPacingWait() throws {
        for signal in [SIGINT, SIGTERM] {
            let child = try BinaryRunner.start([Self.oneFramePerHour, "--headless"])
            let (r, seconds) = stop(child, with: signal) { fileSize(child.outPath) > 0 }
            XCTAssertEqual(r.status, 128 + signal, r.stderr)
            XCTAssertEqual(r.stdoutLines.count, 1, "only the first frame was due")
            print("headless stopped \(seconds) s after signal \(signal)")
        }
    }

    /// `detect` finishes the image in hand and stops: whole JSON lines only, a note that
    /// says how far it got, and the signal's exit status.
    func testDetectStopsBetweenImagesWithWholeLines() throws {
        let pgm = scratch.write("gray.pgm", Array("P5\n64 48\n255\n".utf8) + [UInt8](repeating: 128, count: 64 * 48))
        let files = Array(repeating: pgm, count: 3000)
        for signal in [SIGINT, SIGTERM] {
            let child = try BinaryRunner.start(["detect", "--json"] + files)
            let (r, _) = stop(child, with: signal) { fileSize(child.outPath) > 0 }
            XCTAssertEqual(r.status, 128 + signal, r.stderr)
            let lines = r.stdoutLines
            XCTAssertLessThan(lines.count, files.count, "stopped early")
            for line in lines { XCTAssertEqual(try jsonObject(line)["file"] as? String, pgm) }
            let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
            XCTAssertEqual(r.stderr, "rnnpool-cam: stopped by \(name) after \(lines.count) of \(files.count) images\n")
        }
    }

    func testRecordStopsAtOnceDuringAnHourLongPacingWaitAndKeepsAValidFile() throws {
        let out = scratch.path("hour.y4m")
        let child = try BinaryRunner.start(["record", Self.oneFramePerHour, "-o", out])
        let header = "YUV4MPEG2 W2 H2 F1:3600 Ip A1:1 Cmono\n"
        let (r, seconds) = stop(child, with: SIGINT) { fileSize(out) >= header.utf8.count + "FRAME\n".utf8.count + 4 }
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertEqual(r.stderr, "rnnpool-cam: stopped by SIGINT; recorded 1 frame (2x2 mono) to \(out)\n")
        XCTAssertEqual(scratch.read("hour.y4m"), Array((header + "FRAME\nabcd").utf8), "the source's rate, one whole frame")
        print("record stopped \(seconds) s after SIGINT")
    }

    /// SIGHUP and SIGQUIT end every mode like SIGINT does, with their own status and no
    /// crash report (issue 19, F3: SIGQUIT used to print a backtrace and run on).
    func testHangUpAndQuitStopHeadlessAndDetectCleanly() throws {
        for signal in [SIGHUP, SIGQUIT] {
            let child = try BinaryRunner.start([Self.oneFramePerHour, "--headless"])
            let (r, seconds) = stop(child, with: signal) { fileSize(child.outPath) > 0 }
            XCTAssertEqual(r.status, 128 + signal, r.stderr)
            XCTAssertEqual(r.stderr, "", "no crash report for a signal a user sends")
            XCTAssertLessThan(seconds, 2)
        }
        let pgm = scratch.write("quit.pgm", Array("P5\n64 48\n255\n".utf8) + [UInt8](repeating: 128, count: 64 * 48))
        let child = try BinaryRunner.start(["detect", "--json"] + Array(repeating: pgm, count: 3000))
        let (r, _) = stop(child, with: SIGQUIT) { fileSize(child.outPath) > 0 }
        XCTAssertEqual(r.status, 128 + SIGQUIT, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("rnnpool-cam: stopped by SIGQUIT after "), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }

    /// A FIFO with no writer blocks open(2); the handlers are in place before it and do
    /// not restart it, so SIGINT ends the run at once with its status (issue 19, F7).
    func testSIGINTEndsAnOpenBlockedOnAFIFO() throws {
        let fifo = scratch.path("nobody-writes.y4m")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let child = try BinaryRunner.start([fifo, "--headless"])
        Thread.sleep(forTimeInterval: 0.5)
        let (r, seconds) = stop(child, with: SIGINT) { child.process.isRunning }
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertEqual(r.stderr, "rnnpool-cam: stopped by SIGINT\n")
        XCTAssertLessThan(seconds, 2)
    }
}
