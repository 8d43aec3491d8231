import Foundation
import XCTest

/// Every reproducer of ../shared/repro/ (copied to Repro/, or rebuilt here when it is
/// large) gives one printable line naming the file, exit status 1, no signal, and stays
/// within a bounded address space.
final class HostileInputTests: XCTestCase {
    static let repro = BinaryRunner.repoRoot + "/Tests/CLITests/Repro/"
    let scratch = Scratch()

    /// Runs the binary with its address space capped (so any allocation sized by a
    /// file's header instead of its contents fails, and the test with it) and checks
    /// that it ended by exiting, not by a signal, with under 100 MB resident at its peak.
    func runBounded(_ arguments: [String], environment: [String: String] = [:],
                    file: StaticString = #filePath, line: UInt = #line) throws -> BinaryRunner.Result {
        let r = try MeasuredRun.run(arguments, environment: environment, directory: scratch.directory,
                                    addressSpaceLimitKiB: BinaryRunner.addressSpaceLimitKiB)
        XCTAssertNil(r.signal, "killed by signal \(r.signal ?? 0): \(r.result.stderr)", file: file, line: line)
        XCTAssertLessThan(r.peakResidentBytes, 100 << 20, "peak RSS \(r.peakResidentBytes >> 20) MB", file: file, line: line)
        print("\(arguments.first(where: { $0.hasPrefix("/") }) ?? "?"): peak RSS \(r.peakResidentBytes >> 10) KiB")
        return r.result
    }

    /// One line on stderr that names `file`, holds only printable ASCII, says `what`.
    func assertOneLineError(_ r: BinaryRunner.Result, naming file: String, says what: String,
                            file f: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, 1, r.stderr, file: f, line: line)
        XCTAssertTrue(r.stderr.hasSuffix("\n"), r.stderr, file: f, line: line)
        let lines = r.stderr.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 1, "not one line: \(r.stderr)", file: f, line: line)
        XCTAssertTrue(r.stderr.dropLast().utf8.allSatisfy { (0x20...0x7E).contains($0) },
                      "unprintable bytes in: \(r.stderr.debugDescription)", file: f, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("rnnpool-cam: \(file): "), "does not name \(file): \(r.stderr)", file: f, line: line)
        XCTAssertTrue(r.stderr.contains(what), "expected '\(what)' in: \(r.stderr)", file: f, line: line)
    }

    // MARK: .y4m

    func testAHugeFrameRateIsRefusedByRecord() throws {
        let file = Self.repro + "crash-record-fps-huge.y4m"
        let r = try runBounded(["record", file, "-o", scratch.path("out.y4m")])
        assertOneLineError(r, naming: file, says: "bad frame rate F9223372036854775807:1")
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("out.y4m")))
    }

    func testATinyFrameRateIsRefusedByHeadless() throws {
        let file = Self.repro + "crash-pacer-fps-tiny.y4m"
        let r = try runBounded([file, "--headless"])
        assertOneLineError(r, naming: file, says: "bad frame rate F1:9223372036854775807")
    }

    func testAHeaderOnlyGiantY4MIsRefusedWithoutAllocatingTheFrame() throws {
        let file = Self.repro + "mem-y4m-16384x16384-444alpha-header-only.y4m"
        let r = try runBounded([file, "--headless"])
        assertOneLineError(r, naming: file, says: "above the 64 MiB limit")
    }

    func testAHeaderOnlyY4MWithinTheLimitIsReportedCut() throws {
        // 8192x4096 mono is 32 MiB a frame, allowed; the file holds 2 bytes of it.
        let file = scratch.write("cut.y4m", Array("YUV4MPEG2 W8192 H4096 Cmono\nFRAME\nxx".utf8))
        let r = try runBounded([file, "--headless"])
        assertOneLineError(r, naming: file, says: "frame 1 has 2 of 33554432 bytes")
    }

    // MARK: PGM/PPM

    func testAHeaderOnlyGiantPPMIsReportedCut() throws {
        let file = Self.repro + "mem-ppm-16384x16384-header-only.ppm"
        let r = try runBounded(["detect", file])
        assertOneLineError(r, naming: file, says: "0 of 805306368 raster bytes")
    }

    func testAHeaderOnlyGiantTextPPMIsReportedCut() throws {
        let file = Self.repro + "pnm-p3-16384x16384-805MB-alloc-header-only.ppm"
        let r = try runBounded(["detect", file])
        assertOneLineError(r, naming: file, says: "the file was cut")
    }

    /// A character device is not read as a picture at all (it was read up to the 64 MiB
    /// limit before pictures were told apart by what they are).
    func testDevZeroIsRefusedAsADevice() throws {
        let r = try runBounded(["detect", "/dev/zero"])
        assertOneLineError(r, naming: "/dev/zero", says: "is a device, not an image file")
    }

    /// A 64 MB P5 refused for its last sample stays under 100 MB: the raster is checked
    /// before the samples are allocated (issue 19, F6: it peaked at 149 MB).
    func testALargeImageRefusedForItsLastSampleStaysUnder100MB() throws {
        let side = 8000
        var bytes = Array("P5\n\(side) \(side)\n1\n".utf8) + [UInt8](repeating: 0, count: side * side)
        bytes[bytes.count - 1] = 5
        let file = scratch.write("maxval1-bad-last.pgm", bytes)
        bytes = []
        let r = try runBounded(["detect", file])
        assertOneLineError(r, naming: file, says: "sample 5 exceeds maxval 1")
    }

    /// F6: recording a 64 MiB-a-frame clip whose second frame is cut holds one frame at a
    /// time (the reader hands its buffer to the frame, the writer writes the planes
    /// from it), and keeps the whole first frame.
    func testRecordingA64MiBFrameClipCutInItsSecondFrameStaysUnder100MB() throws {
        let side = 8192
        let header = Array("YUV4MPEG2 W\(side) H\(side) F15:1 Ip A1:1 Cmono\n".utf8)
        var first = [UInt8](repeating: 0, count: side * side)
        first[side * side - 1] = 77
        let file = scratch.write("big-cut.y4m", header + Array("FRAME\n".utf8) + first + Array("FRAME\n".utf8)
                                 + [UInt8](repeating: 1, count: side * side / 2))
        first = []
        let out = scratch.directory + "/rec.y4m"
        let r = try runBounded(["record", file, "-o", out])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(file): the file was cut: frame 2 has 33554432 of 67108864 bytes; played 1 whole frames"),
                      r.stderr)
        XCTAssertTrue(r.stderr.contains("recorded 1 frame (8192x8192 mono)"), r.stderr)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: out)[.size] as? Int)
        XCTAssertEqual(size, header.count + 6 + side * side, "the header and the one whole frame")
        let h = try FileHandle(forReadingFrom: URL(fileURLWithPath: out))
        try h.seek(toOffset: UInt64(size - 1))
        XCTAssertEqual(try h.readToEnd(), Data([77]), "its last pixel")
    }

    /// The same through a pipe: the frame's pages become resident only as bytes arrive.
    func testRecordingA64MiBFrameClipFromAPipeStaysUnder100MB() throws {
        let side = 8192
        let fifo = scratch.directory + "/big-pipe.y4m"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let bytes = Array("YUV4MPEG2 W\(side) H\(side) F15:1 Ip A1:1 Cmono\nFRAME\n".utf8)
            + [UInt8](repeating: 3, count: side * side) + Array("FRAME\n".utf8) + [UInt8](repeating: 4, count: 1 << 20)
        let writer = Thread {
            guard let h = FileHandle(forWritingAtPath: fifo) else { return }
            h.write(Data(bytes))
            try? h.close()
        }
        writer.start()
        let r = try runBounded(["record", fifo, "-o", scratch.directory + "/from-pipe.y4m"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("the file was cut: frame 2 has 1048576 of 67108864 bytes; played 1 whole frames"),
                      r.stderr)
    }

    // MARK: Models

    func modelError(_ model: String, says what: String, file f: StaticString = #filePath, line: UInt = #line) throws {
        let pgm = scratch.write("a.pgm", Array("P5 40 30 255\n".utf8) + [UInt8](repeating: 90, count: 1200))
        let r = try runBounded(["detect", "--json", pgm], environment: ["RNNPOOL_CAM_MODEL": model])
        XCTAssertTrue(r.stdout.isEmpty, r.stdout, file: f, line: line)
        assertOneLineError(r, naming: model, says: what, file: f, line: line)
    }

    func testModelsWithOverflowingHyperParametersAreRefused() throws {
        try modelError(Self.repro + "rpm-crash-input-width-intmax.rpm", says: "input.width 9223372036854775807 is outside 16...4096")
        try modelError(Self.repro + "rpm-crash-input-2p31-networkcost.rpm", says: "input.width 2147483648 is outside 16...4096")
        try modelError(Self.repro + "rpm-crash-padto-intmax.rpm", says: "rnnpool.pad_to width 9223372036854775807 is outside")
        try modelError(Self.repro + "rpm-crash-block-expand-2p62.rpm", says: "blocks.0.expand 4611686018427387904 is outside 1...16")
        try modelError(Self.repro + "rpm-crash-head-background-intmax.rpm", says: "heads.0.background 9223372036854775807 is outside 1...255")
        try modelError(Self.repro + "rpm-crash-topk-2p62-at-detect.rpm", says: "postprocess.top_k 4611686018427387904 is outside 1...100000")
        // Every value within its own limit, yet over 2^31 anchors (issue 19, F1).
        try modelError(Self.repro + "rpm-crash-anchor-count-int32.rpm",
                       says: "anchors over all heads 3221225472 is outside 1...16777216")
    }

    func testFileTextInModelErrorsIsEscaped() throws {
        try modelError(Self.repro + "rpm-multiline-kind.rpm", says: #"kind is "model\x0A\x1B[31mRED""#)
        // Its CRC does not match (it is checked first now); ModelFileTests covers the
        // same name with a valid CRC.
        try modelError(Self.repro + "rpm-binary-tensor-name-in-message.rpm", says: "checksum mismatch")
    }

    func testOneFlippedBitIsAChecksumMismatch() throws {
        // The reproducer is the shipped model with bit 0 of the first tensor's name
        // length flipped; the same edit on the test model (the original is 356 KB).
        var bytes = [UInt8](FileManager.default.contents(atPath: ModelLoadingTests.randomModel)!)
        let headerLength = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        bytes[16 + headerLength + 4 + 1] ^= 1
        let model = scratch.write("bitflip.rpm", bytes)
        try modelError(model, says: "checksum mismatch")
    }

    func testAModelPathThatIsADirectorySaysSo() throws {
        try modelError(scratch.directory, says: "cannot read model file (is a directory)")
    }
}
