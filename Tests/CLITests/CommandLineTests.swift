import XCTest
@testable import rnnpool_cam

final class CommandLineTests: XCTestCase {
    func testVersionAndHelp() throws {
        let version = try BinaryRunner.run(["--version"])
        XCTAssertEqual(version.status, 0)
        // The program, then the model it loads and what the file says of its training.
        XCTAssertEqual(version.stdoutLines.first, "rnnpool-cam " + RNNPoolCam.version)
        XCTAssertEqual(version.stdoutLines.count, 2, version.stdout)
        let model = version.stdoutLines.last ?? ""
        XCTAssertTrue(model.hasPrefix("model: ") && model.contains("assets/models/rnnpool-face.rpm"), model)
        for fact in ["rnnpool-face-m4s32", "int8 scales", "trained 2026-11-30", "val AP50 0.816"] {
            XCTAssertTrue(model.contains(fact), "lacks \(fact): \(model)")
        }
        let missing = try BinaryRunner.run(["--version"], environment: ["RNNPOOL_CAM_MODEL": "/nonexistent.rpm"])
        XCTAssertEqual(missing.status, 0, "the version is shown whatever the model")
        XCTAssertEqual(missing.stdoutLines.last, "model: /nonexistent.rpm: cannot read model file (no such file)")

        let help = try BinaryRunner.run(["--help"])
        XCTAssertEqual(help.status, 0)
        for word in ["live (default)", "record", "detect", "rnnpool-cam [SOURCE]"] {
            XCTAssertTrue(help.stdout.contains(word), "help lacks \(word):\n\(help.stdout)")
        }
        // The top-level help is where a new user looks: the live options and the keys
        // are there, not only under `live --help` (issue 20).
        XCTAssertTrue(help.stdout.contains("USAGE: rnnpool-cam [SOURCE] [options]"), help.stdout)
        for word in ["--headless", "--ram-cap", "--hold-frame", "--loop", "KEYS (terminal UI):", "pause / resume",
                     "back to the starting threshold", "MP4, MKV or WebM"] {
            XCTAssertTrue(help.stdout.contains(word), "top-level help lacks \(word):\n\(help.stdout)")
        }
        let live = try BinaryRunner.run(["live", "--help"])
        for word in ["--headless", "--ram-cap", "--threshold", "--size", "--fps", "--as-fast-as-possible", "--loop"] {
            XCTAssertTrue(live.stdout.contains(word), "live help lacks \(word)")
        }
        let record = try BinaryRunner.run(["record", "--help"])
        for word in ["--output", "--frames", "--seconds", "--color"] {
            XCTAssertTrue(record.stdout.contains(word), "record help lacks \(word)")
        }
    }

    func testRamCapAcceptsBytesKAndM() {
        XCTAssertEqual(ByteSize(argument: "256K")?.bytes, 262_144)
        XCTAssertEqual(ByteSize(argument: "256k")?.bytes, 262_144)
        XCTAssertEqual(ByteSize(argument: "1M")?.bytes, 1_048_576)
        XCTAssertEqual(ByteSize(argument: "2MiB")?.bytes, 2_097_152)
        XCTAssertEqual(ByteSize(argument: "190000")?.bytes, 190_000)
        // Out-of-range and unparseable values parse (so validate() can say what is
        // allowed in one line) but are not valid.
        for bad in ["0", "-5K", "lots", "9G", "1025M", "99999999999999999999M"] {
            XCTAssertEqual(ByteSize(argument: bad)?.isValid, false, bad)
        }
        XCTAssertEqual(ByteSize(argument: "1024M")?.isValid, true)
    }

    /// Negative numbers are values, not options; every bad value is one line and 64.
    func testBadNumbersGetOneLineRangeErrors() throws {
        let cases: [([String], String)] = [
            (["--headless", "--threshold", "-1", BinaryRunner.demo], "rnnpool-cam: --threshold must be between 0 and 1 (got -1.0)\n"),
            (["--headless", "--ram-cap", "-5", BinaryRunner.demo],
             "rnnpool-cam: --ram-cap must be from 1 byte to 1024M: bytes, or with a K or M suffix (got -5)\n"),
            (["--headless", "--ram-cap", "0", BinaryRunner.demo],
             "rnnpool-cam: --ram-cap must be from 1 byte to 1024M: bytes, or with a K or M suffix (got 0)\n"),
            (["--headless", "--frames", "-3", BinaryRunner.demo], "rnnpool-cam: --frames must be at least 1 (got -3)\n"),
            (["record", BinaryRunner.demo, "-o", "x.y4m", "--seconds", "-2"], "rnnpool-cam: --seconds must be positive (got -2.0)\n"),
        ]
        for (args, message) in cases {
            let r = try BinaryRunner.run(args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr, message, "\(args)")
            XCTAssertTrue(r.stdout.isEmpty, "\(args)")
        }
    }

    func testTheUIsOutputDirectoryIsCheckedAtStart() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rnnpool-not-a-dir-\(getpid())").path
        FileManager.default.createFile(atPath: file, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: file) }
        for (dir, problem) in [("/nonexistent/rnnpool-out", "no such directory"), (file, "not a directory")] {
            let r = try BinaryRunner.run([BinaryRunner.demo, "--output-dir", dir])
            XCTAssertEqual(r.status, 64, r.stderr)
            XCTAssertEqual(r.stderr, "rnnpool-cam: --output-dir \(dir): \(problem) (the UI's r and s keys write there)\n")
        }
        let headless = try BinaryRunner.run(["--headless", "--frames", "1", "--output-dir", "/nonexistent/x", BinaryRunner.demo])
        XCTAssertEqual(headless.status, 0, "headless writes nothing there, so it does not care: \(headless.stderr)")
    }

    func testBadOptionValuesAreUsageErrors() throws {
        let cases: [([String], String)] = [
            (["--headless", "--ram-cap", "lots", BinaryRunner.demo], "--ram-cap"),
            (["--headless", "--threshold", "1.5", BinaryRunner.demo], "--threshold must be between 0 and 1"),
            (["--headless", "--size", "big", BinaryRunner.demo], "--size"),
            (["--headless", "--fps", "0", BinaryRunner.demo], "--fps must be a positive"),
            (["record", BinaryRunner.demo], "--output"),
            (["detect"], "FILE"),
        ]
        for (args, words) in cases {
            let r = try BinaryRunner.run(args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.lowercased().contains(words.lowercased()), "\(args): \(r.stderr)")
            XCTAssertTrue(r.stdout.isEmpty, "\(args)")
        }
    }

    /// Every command-line error is one line saying what is wrong, plus one hint line,
    /// exit 64, and bytes from the user's arguments never reach the terminal raw
    /// (issue 19, F5: control bytes were echoed, parser errors took 3-4 lines).
    func testCommandLineErrorsAreOnePrintableLineAndAHint() throws {
        let esc = "\u{1B}[2J"
        for args in [["--size", esc], ["--bogus"], ["--size", "-1x-1"], ["--frames", "abc"], ["bench", "--size", esc],
                     ["detect"]] {
            let r = try BinaryRunner.run(args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.count, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(lines.last, "rnnpool-cam: see rnnpool-cam --help (each subcommand has --help too)")
            XCTAssertTrue(r.stderr.utf8.allSatisfy { $0 == 0x0A || (0x20...0x7E).contains($0) },
                          "unprintable bytes: \(r.stderr.debugDescription)")
        }
        let cap = try BinaryRunner.run(["--ram-cap", esc])
        XCTAssertEqual(cap.status, 64)
        XCTAssertEqual(cap.stderr, "rnnpool-cam: --ram-cap must be from 1 byte to 1024M: bytes, or with a K or M suffix (got \\x1B[2J)\n")
        let dir = try BinaryRunner.run(["--output-dir", "/nonexistent/\u{1B}x"])
        XCTAssertTrue(dir.stderr.contains("/nonexistent/\\x1Bx"), dir.stderr)
    }

    func testARecordingNameWithAControlByteIsEscapedInTheSummary() throws {
        let out = NSTemporaryDirectory() + "rnnpool-\(getpid())-a\u{1B}b.y4m"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try BinaryRunner.run(["record", BinaryRunner.demo, "-o", out, "--frames", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stderr.contains("\u{1B}"), r.stderr.debugDescription)
        XCTAssertTrue(r.stderr.contains("a\\x1Bb.y4m"), r.stderr)
    }
}
