import XCTest
@testable import rnnpool_cam

/// `rnnpool-cam SOURCE --headless` end to end through the binary.
final class HeadlessCommandTests: XCTestCase {
    let scratch = Scratch()

    func testDemoPlaysAsOneJSONLinePerFrame() throws {
        let r = try BinaryRunner.run([BinaryRunner.demo, "--headless", "--as-fast-as-possible"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdoutLines
        XCTAssertEqual(lines.count, 60)
        for (i, line) in lines.enumerated() {
            let o = try jsonObject(line)
            XCTAssertEqual(o["frame"] as? Int, i)
            XCTAssertEqual(o["width"] as? Int, 320)
            XCTAssertEqual(o["height"] as? Int, 240)
            XCTAssertEqual((o["timestamp"] as? Double) ?? -1, Double(i) / 15, accuracy: 1e-3)
            XCTAssertNotNil(o["faces"] as? [Any])
            XCTAssertNotNil(o["timings"] as? [String: Any])
            XCTAssertTrue(o.keys.contains("memory"))
        }
    }

    func testNoSourceFallsBackToTheBundledDemoAndSaysSo() throws {
        try XCTSkipIf(FileManager.default.fileExists(atPath: "/dev/video0"), "a camera is present here")
        let r = try BinaryRunner.run(["--headless", "--as-fast-as-possible", "--frames", "3"], directory: scratch.directory)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdoutLines.count, 3)
        XCTAssertTrue(r.stderr.contains("no SOURCE given and no camera at /dev/video0; playing the bundled demo"), r.stderr)
        XCTAssertTrue(r.stderr.contains("assets/demo.y4m"), r.stderr)
    }

    func testPacedPlaybackAndLoop() throws {
        // 2 frames at 20 fps looped to 5 frames: paced, so at least 4 intervals pass.
        let path = scratch.write("two.y4m", Array("YUV4MPEG2 W4 H2 F20:1 Cmono\nFRAME\n".utf8) + [UInt8](repeating: 9, count: 8)
                                 + Array("FRAME\n".utf8) + [UInt8](repeating: 7, count: 8))
        let start = Date()
        let r = try BinaryRunner.run([path, "--headless", "--loop", "--frames", "5"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdoutLines.count, 5)
        XCTAssertEqual(try jsonObject(r.stdoutLines[4])["frame"] as? Int, 4)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.19)
    }

    private func assertFails(_ args: [String], _ expected: String, status: Int32 = 1,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try BinaryRunner.run(args + ["--headless", "--as-fast-as-possible"])
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        let last = r.stderr.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertEqual(last, "rnnpool-cam: " + expected, file: file, line: line)
    }

    func testY4MErrorsAreOneLineNamingTheFile() throws {
        let cases: [(String, [UInt8], String)] = [
            ("magic.y4m", Array("P5 2 2 255\n".utf8), "not a YUV4MPEG2 file (it does not start with \"YUV4MPEG2 \")"),
            ("now.y4m", Array("YUV4MPEG2 H2 Cmono\n".utf8), "the YUV4MPEG2 header has no width (W tag)"),
            ("noh.y4m", Array("YUV4MPEG2 W2 Cmono\n".utf8), "the YUV4MPEG2 header has no height (H tag)"),
            ("cs.y4m", Array("YUV4MPEG2 W2 H2 C420p10\n".utf8), "unsupported colourspace C420p10 (supported: mono, 420jpeg, 420mpeg2, 420paldv, 420, 411, 422, 444, 444alpha; 8-bit only)"),
            ("int.y4m", Array("YUV4MPEG2 W2 H2 It Cmono\n".utf8), "unsupported interlacing It (top field first); only progressive video (Ip) is supported"),
            ("empty.y4m", [], "empty file (0 bytes), not a YUV4MPEG2 video"),
        ]
        for (name, bytes, message) in cases {
            let path = scratch.write(name, bytes)
            try assertFails([path], "\(path): \(message)")
        }
        try assertFails([scratch.path("missing.y4m")], "\(scratch.path("missing.y4m")): no such file")
    }

    func testTruncatedFilePlaysWholeFramesThenSaysItWasCut() throws {
        var bytes = Array("YUV4MPEG2 W4 H2 F25:1 Cmono\n".utf8)
        for k in 0..<3 { bytes += Array("FRAME\n".utf8) + [UInt8](repeating: UInt8(k), count: 8) }
        bytes.removeLast(3)
        let path = scratch.write("cut.y4m", bytes)
        let r = try BinaryRunner.run([path, "--headless", "--as-fast-as-possible"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdoutLines.count, 2, "the two whole frames are reported")
        XCTAssertTrue(r.stderr.hasSuffix("rnnpool-cam: \(path): the file was cut: frame 3 has 5 of 8 bytes; played 2 whole frames\n"), r.stderr)
    }

    func testCameraErrorsOnRealPaths() throws {
        try assertFails(["/dev/video9"], "/dev/video9: no such device (is the camera plugged in? `ls /dev/video*` lists the cameras)")
        // Character devices of other kinds are refused before they are opened (opening
        // some acts: /dev/watchdog arms the watchdog).
        try assertFails(["/dev/null"], "/dev/null: not a V4L2 capture device (a character device of major 1, not video4linux's 81; cameras are /dev/video*)")
        // Anything else is a file, told apart by what it holds (FFmpeg for what is not ours).
        try assertFails([scratch.directory], "\(scratch.directory): is a directory, not a video or image file")
        let plain = scratch.write("notes.txt", Array("hello".utf8))
        try assertFails([plain], "\(plain): not a video clip or photo rnnpool-cam can read (FFmpeg: Invalid data found when processing input)")
        // libv4l2 must not add its own chatter to the one line.
        let r = try BinaryRunner.run(["/dev/null", "--headless"])
        XCTAssertFalse(r.stderr.contains("libv4l2"), r.stderr)
    }

    func testSIGINTStopsHeadlessCleanly() throws {
        let child = try BinaryRunner.start([BinaryRunner.demo, "--headless", "--loop"])
        // Wait for whole lines, not bytes: a line's length depends on the faces and the
        // model's layer list.
        XCTAssertTrue(waitUntil { lineCount(child.outPath) > 3 }, "no output from the running binary")
        kill(child.pid, SIGINT)
        let r = BinaryRunner.collect(child)
        XCTAssertEqual(r.status, 130, "128 + SIGINT, as a shell reports Ctrl-C: \(r.stderr)")
        XCTAssertGreaterThan(r.stdoutLines.count, 3)
        for line in r.stdoutLines { _ = try jsonObject(line) }   // no half-written line
    }

    /// --loop on a FIFO plays the stream once, then says why it cannot start over and
    /// exits 1 (issue 19: it ended quietly with 0).
    func testLoopOnAFIFOPlaysOnceAndSaysWhy() throws {
        let fifo = scratch.path("stream.y4m")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "cat \"$0\" > \"$1\"", BinaryRunner.demo, fifo]
        try writer.run()
        let r = try BinaryRunner.run([fifo, "--headless", "--loop", "--as-fast-as-possible", "--no-track"])
        writer.waitUntilExit()
        XCTAssertEqual(r.stdoutLines.count, 60)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "rnnpool-cam: \(fifo): cannot start over for --loop: it is not a regular file (a pipe?); "
                       + "played 60 frames once\n")
    }
}

/// Lines written so far to a file the child is still writing.
private func lineCount(_ path: String) -> Int {
    (FileManager.default.contents(atPath: path) ?? Data()).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
}
