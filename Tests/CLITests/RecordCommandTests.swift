import FrameIO
import XCTest

final class RecordCommandTests: XCTestCase {
    let scratch = Scratch()
    let demoFrameBytes = 6 + 320 * 240
    let demoHeader = "YUV4MPEG2 W320 H240 F15:1 Ip A1:1 Cmono\n"

    func testRecordsAFixedNumberOfFrames() throws {
        let out = scratch.path("ten.y4m")
        let r = try BinaryRunner.run(["record", BinaryRunner.demo, "-o", out, "--frames", "10", "--as-fast-as-possible"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "rnnpool-cam: recorded 10 frames (320x240 mono) to \(out)\n")
        let bytes = scratch.read("ten.y4m")
        XCTAssertTrue(bytes.starts(with: Array(demoHeader.utf8)))
        XCTAssertEqual(bytes.count, demoHeader.utf8.count + 10 * demoFrameBytes)
        // Same pictures as the source.
        let source = try Y4MReader(path: BinaryRunner.demo, pacing: false)
        let copy = try Y4MReader(path: out, pacing: false)
        for _ in 0..<10 { XCTAssertEqual(try copy.nextFrame()?.luma, try source.nextFrame()?.luma) }
    }

    func testRecordsByDuration() throws {
        let out = scratch.path("second.y4m")
        let r = try BinaryRunner.run(["record", BinaryRunner.demo, "--output", out, "--seconds", "1", "--as-fast-as-possible"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(scratch.read("second.y4m").count, demoHeader.utf8.count + 15 * demoFrameBytes, "1 s at 15 fps")
    }

    func testColourIsKeptWhenTheSourceHasIt() throws {
        var src = Array("YUV4MPEG2 W4 H2 F10:1 C422\n".utf8)
        for k in 0..<2 { src += Array("FRAME\n".utf8) + (0..<16).map { UInt8(k * 50 + $0) } }
        let input = scratch.write("in.y4m", src)
        let out = scratch.path("colour.y4m")
        let r = try BinaryRunner.run(["record", input, "-o", out, "--color", "--as-fast-as-possible"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let reader = try Y4MReader(path: out, pacing: false)
        XCTAssertEqual(reader.header.colourspace, .c420jpeg)
        XCTAssertEqual(reader.header.fpsNumerator, 10)
        let f = try XCTUnwrap(reader.nextFrame())
        XCTAssertEqual(f.luma, Array(0..<8))
        // 4:2:2 Cb rows [8, 9] and [10, 11] average vertically to [9, 10].
        XCTAssertEqual(f.chroma?.cb, [9, 10])
        XCTAssertNotNil(try reader.nextFrame())
    }

    func testColourFromAMonoSourceSaysSoAndRecordsMono() throws {
        let out = scratch.path("mono.y4m")
        let r = try BinaryRunner.run(["record", BinaryRunner.demo, "-o", out, "--color", "--frames", "1", "--as-fast-as-possible"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("has no colour; recording grayscale (Cmono)"), r.stderr)
        XCTAssertTrue(scratch.read("mono.y4m").starts(with: Array(demoHeader.utf8)))
    }

    func testSourceAndOutputErrors() throws {
        let r = try BinaryRunner.run(["record", "/dev/video9", "-o", scratch.path("x.y4m")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("rnnpool-cam: /dev/video9: no such device"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("x.y4m")), "no file for a source that never opened")

        let bad = scratch.path("no/such/dir/out.y4m")
        let w = try BinaryRunner.run(["record", BinaryRunner.demo, "-o", bad, "--frames", "1", "--as-fast-as-possible"])
        XCTAssertEqual(w.status, 1)
        XCTAssertEqual(w.stderr, "rnnpool-cam: \(bad): cannot create the recording: its folder does not exist\n")
    }

    func testRefusesToRecordOverItsSource() throws {
        let input = scratch.write("in.y4m", Array("YUV4MPEG2 W2 H2 Cmono\nFRAME\n".utf8) + [1, 2, 3, 4])
        let r = try BinaryRunner.run(["record", input, "-o", scratch.directory + "/./in.y4m"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "rnnpool-cam: \(scratch.directory)/./in.y4m: is the source itself; refusing to record over it\n")
        XCTAssertEqual(scratch.read("in.y4m").count, 32, "the source is untouched")
    }

    func testAnExistingOutputIsRefusedUnlessOverwriteIsGiven() throws {
        let out = scratch.write("old.y4m", Array("precious".utf8))
        let r = try BinaryRunner.run(["record", BinaryRunner.demo, "-o", out, "--frames", "1", "--as-fast-as-possible"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "rnnpool-cam: \(out): already exists; add --overwrite (-y) to replace it\n")
        XCTAssertEqual(scratch.read("old.y4m"), Array("precious".utf8), "the existing file is untouched")
        for flag in ["--overwrite", "-y"] {
            let w = try BinaryRunner.run(["record", BinaryRunner.demo, "-o", out, flag, "--frames", "1", "--as-fast-as-possible"])
            XCTAssertEqual(w.status, 0, w.stderr)
            XCTAssertEqual(try Y4MReader(path: out, pacing: false).header.width, 320, "replaced by the recording")
        }
    }

    func testTruncatedSourceKeepsTheWholeFramesAndFails() throws {
        var src = Array("YUV4MPEG2 W2 H2 F10:1 Cmono\n".utf8)
        for _ in 0..<3 { src += Array("FRAME\n".utf8) + [1, 2, 3, 4] }
        src.removeLast(2)
        let input = scratch.write("cut.y4m", src)
        let out = scratch.path("kept.y4m")
        let r = try BinaryRunner.run(["record", input, "-o", out, "--as-fast-as-possible"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("recorded 2 frames"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(input): the file was cut"), r.stderr)
        XCTAssertEqual(scratch.read("kept.y4m").count, "YUV4MPEG2 W2 H2 F10:1 Ip A1:1 Cmono\n".utf8.count + 2 * 10)
    }

    /// Ctrl-C or SIGTERM in the middle of a paced, looping recording: the process says
    /// so, exits 128 + the signal, and the file holds the header plus whole frames only.
    func testSignalLeavesAValidFile() throws {
        for signal in [SIGINT, SIGTERM] {
            let out = scratch.path("sig\(signal).y4m")
            let child = try BinaryRunner.start(["record", BinaryRunner.demo, "-o", out, "--loop"])
            // Signal once recording is under way (paced at 15 fps, so mid-stream).
            XCTAssertTrue(waitUntil { fileSize(out) > demoHeader.utf8.count + 2 * demoFrameBytes }, "recording never started")
            Thread.sleep(forTimeInterval: 0.3)
            kill(child.pid, signal)
            let r = BinaryRunner.collect(child)
            XCTAssertEqual(r.status, 128 + signal, "130 for SIGINT, 143 for SIGTERM: \(r.stderr)")
            let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
            XCTAssertTrue(r.stderr.hasPrefix("rnnpool-cam: stopped by \(name); recorded "), r.stderr)
            let size = scratch.read("sig\(signal).y4m").count - demoHeader.utf8.count
            XCTAssertGreaterThan(size, 0)
            XCTAssertEqual(size % demoFrameBytes, 0, "no partial frame at the end")
            let reader = try Y4MReader(path: out, pacing: false)
            var n = 0
            while try reader.nextFrame() != nil { n += 1 }
            XCTAssertEqual(n, size / demoFrameBytes)
            XCTAssertTrue(r.stderr.contains("recorded \(n) frames"), r.stderr)
        }
    }

    /// A .y4m's frame rate is copied exactly, even where no Double rounds back to it
    /// (issue 19: F2147483647:1 and F1:2147483647 were both written as F25:1).
    func testTheSourcesExactRateIsKept() throws {
        for rate in ["2147483647:1", "1:2147483647", "30000:1001"] {
            let input = scratch.write("rate.y4m", Array("YUV4MPEG2 W2 H2 F\(rate) Cmono\nFRAME\nabcd".utf8))
            let out = scratch.path("rate-out.y4m")
            let r = try BinaryRunner.run(["record", input, "-o", out, "-y", "--as-fast-as-possible"])
            XCTAssertEqual(r.status, 0, "\(rate): \(r.stderr)")
            XCTAssertEqual(scratch.read("rate-out.y4m"), Array("YUV4MPEG2 W2 H2 F\(rate) Ip A1:1 Cmono\nFRAME\nabcd".utf8),
                           "\(rate): the recording is the source, bit for bit")
        }
    }
}
