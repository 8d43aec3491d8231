import XCTest
@testable import FrameIO

final class Y4MReaderTests: XCTestCase {
    let files = TestFiles()

    func testEveryEightBitColourspaceDeliversLumaAndChroma() throws {
        // Odd sizes exercise the rounding of subsampled planes.
        let w = 7, h = 5
        for cs in Y4MColourspace.allCases {
            let chroma = cs.storedChromaSize(width: w, height: h)
            let bytes = cs.frameBytes(width: w, height: h)
            let frames = (0..<2).map { Y4MBytes.payload(bytes, frame: $0) }
            let path = files.write("cs-\(cs.rawValue).y4m",
                                   Y4MBytes.file(header: "YUV4MPEG2 W\(w) H\(h) F25:1 Ip A1:1 C\(cs.rawValue)", frames: frames))
            let reader = try Y4MReader(path: path, pacing: false)
            XCTAssertEqual(reader.header.colourspace, cs)
            for k in 0..<2 {
                let frame = try XCTUnwrap(reader.nextFrame(), "\(cs)")
                XCTAssertEqual(frame.width, w)
                XCTAssertEqual(frame.height, h)
                XCTAssertEqual(frame.index, k)
                XCTAssertEqual(frame.luma, Array(frames[k][0..<w * h]), "\(cs) luma")
                if let c = chroma {
                    let planes = try XCTUnwrap(frame.chroma, "\(cs) chroma")
                    let n = c.width * c.height
                    if cs == .c411 {
                        // Widened to 4:2:2 by repeating samples.
                        XCTAssertEqual(planes.subsampling, .c422)
                        XCTAssertEqual(planes.width, (w + 1) / 2)
                        XCTAssertEqual(planes.cb[1], frames[k][w * h + 0])
                        XCTAssertEqual(planes.cb[2], frames[k][w * h + 1])
                    } else {
                        XCTAssertEqual(planes.width, c.width)
                        XCTAssertEqual(planes.height, c.height)
                        XCTAssertEqual(planes.cb, Array(frames[k][w * h..<w * h + n]), "\(cs) cb")
                        XCTAssertEqual(planes.cr, Array(frames[k][w * h + n..<w * h + 2 * n]), "\(cs) cr")
                    }
                } else {
                    XCTAssertNil(frame.chroma)
                }
            }
            XCTAssertNil(try reader.nextFrame(), "\(cs): clean end")
        }
    }

    func testHeaderTagsAndFrameParameters() throws {
        let payloads = (0..<3).map { Y4MBytes.payload(12, frame: $0) }
        var bytes = Array("YUV4MPEG2 W4 H3 F30000:1001 Ip A128:117 Cmono XYSCSS=420JPEG XCOLORRANGE=FULL\n".utf8)
        bytes += Array("FRAME\n".utf8) + payloads[0]
        bytes += Array("FRAME Ip XFOO=bar\n".utf8) + payloads[1]
        // A parameter longer than any buffer is read past, not taken for pixels (issue 19).
        bytes += Array(("FRAME A1:1 X" + String(repeating: "p", count: 5000) + "\n").utf8) + payloads[2]
        let reader = try Y4MReader(path: files.write("tags.y4m", bytes), pacing: false)
        XCTAssertEqual(reader.header.aspect, "128:117")
        XCTAssertEqual(reader.header.extensions, ["YSCSS=420JPEG", "COLORRANGE=FULL"])
        XCTAssertEqual(reader.nominalFPS!, 29.97, accuracy: 0.001)
        var stamps: [Double] = []
        while let f = try reader.nextFrame() {
            XCTAssertEqual(f.luma, payloads[f.index])
            stamps.append(f.timestamp)
        }
        XCTAssertEqual(stamps.count, 3)
        XCTAssertEqual(stamps[2], 2 * 1001 / 30000, accuracy: 1e-9)
    }

    func testMissingColourspaceMeans420jpeg() throws {
        let path = files.write("noc.y4m", Y4MBytes.file(header: "YUV4MPEG2 W4 H2 F10:1", frames: [Y4MBytes.payload(12, frame: 0)]))
        let reader = try Y4MReader(path: path, pacing: false)
        XCTAssertEqual(reader.header.colourspace, .c420jpeg)
        XCTAssertEqual(try reader.nextFrame()?.chroma?.subsampling, .c420)
    }

    func testLoopStartsOverWithRisingIndexAndTimestamps() throws {
        let payloads = (0..<2).map { Y4MBytes.payload(4, frame: $0) }
        let path = files.write("loop.y4m", Y4MBytes.file(header: "YUV4MPEG2 W2 H2 F10:1 Cmono", frames: payloads))
        let reader = try Y4MReader(path: path, pacing: false, loop: true)
        for i in 0..<5 {
            let f = try XCTUnwrap(reader.nextFrame())
            XCTAssertEqual(f.index, i)
            XCTAssertEqual(f.luma, payloads[i % 2])
            XCTAssertEqual(f.timestamp, Double(i) / 10, accuracy: 1e-9)
            XCTAssertEqual(f.startsNewPass, i == 2 || i == 4, "the first frame of each later pass says so")
        }
    }

    func testPacingHoldsFramesToTheFileRate() throws {
        let payloads = (0..<5).map { Y4MBytes.payload(4, frame: $0) }
        let path = files.write("paced.y4m", Y4MBytes.file(header: "YUV4MPEG2 W2 H2 F20:1 Cmono", frames: payloads))
        let start = MonotonicClock.now()
        let reader = try Y4MReader(path: path)
        while try reader.nextFrame() != nil {}
        // 5 frames at 20 fps: the last one is due 4 intervals (0.2 s) after the first.
        XCTAssertGreaterThanOrEqual(MonotonicClock.now() - start, 0.19)
    }

    // MARK: Errors, each one line naming the file

    private func assertOpenFails(_ bytes: [UInt8], _ kind: FrameSourceError.Kind, _ words: String,
                                 file: StaticString = #filePath, line: UInt = #line) {
        let path = files.write("bad-\(UUID().uuidString).y4m", bytes)
        XCTAssertThrowsError(try Y4MReader(path: path), file: file, line: line) { error in
            let e = error as! FrameSourceError
            XCTAssertEqual(e.kind, kind, file: file, line: line)
            XCTAssertTrue(e.description.hasPrefix(path + ": "), e.description, file: file, line: line)
            XCTAssertTrue(e.description.contains(words), e.description, file: file, line: line)
            XCTAssertFalse(e.description.contains("\n"), file: file, line: line)
        }
    }

    func testBadMagic() {
        assertOpenFails(Array("RIFF1234WAVEfmt \n".utf8), .badMagic, "not a YUV4MPEG2 file")
        assertOpenFails(Array("YUV4MPEG2W4 H4\n".utf8), .badMagic, "not a YUV4MPEG2 file")
    }

    func testMissingWidthOrHeight() {
        assertOpenFails(Array("YUV4MPEG2 H240 F25:1 Cmono\n".utf8), .missingDimension, "no width (W tag)")
        assertOpenFails(Array("YUV4MPEG2 W320 F25:1 Cmono\n".utf8), .missingDimension, "no height (H tag)")
    }

    func testUnsupportedColourspace() {
        assertOpenFails(Array("YUV4MPEG2 W4 H4 C420p10\n".utf8), .unsupportedColourspace, "unsupported colourspace C420p10")
        assertOpenFails(Array("YUV4MPEG2 W4 H4 Cmono16\n".utf8), .unsupportedColourspace, "8-bit only")
    }

    func testUnsupportedInterlacing() {
        assertOpenFails(Array("YUV4MPEG2 W4 H4 It Cmono\n".utf8), .unsupportedInterlacing, "unsupported interlacing It")
        assertOpenFails(Array("YUV4MPEG2 W4 H4 Ib Cmono\n".utf8), .unsupportedInterlacing, "only progressive")
        assertOpenFails(Array("YUV4MPEG2 W4 H4 Im Cmono\n".utf8), .unsupportedInterlacing, "mixed")
    }

    func testEmptyFile() {
        assertOpenFails([], .emptyFile, "empty file")
    }

    func testMissingFileAndDirectory() {
        XCTAssertThrowsError(try Y4MReader(path: files.path("nope.y4m"))) { error in
            XCTAssertEqual((error as! FrameSourceError).kind, .noSuchFile)
            XCTAssertTrue("\(error)".contains("nope.y4m: no such file"), "\(error)")
        }
        XCTAssertThrowsError(try Y4MReader(path: files.directory)) { error in
            XCTAssertEqual((error as! FrameSourceError).kind, .notAFile)
        }
    }

    func testUnreadableFile() throws {
        try XCTSkipIf(geteuid() == 0, "running as root: permission bits do not stop root from reading")
        let path = files.write("locked.y4m", Y4MBytes.file(header: "YUV4MPEG2 W2 H2 Cmono", frames: []))
        chmod(path, 0)
        XCTAssertThrowsError(try Y4MReader(path: path)) { error in
            XCTAssertEqual((error as! FrameSourceError).kind, .unreadable)
            XCTAssertTrue("\(error)".contains("permission denied"), "\(error)")
        }
    }

    func testTruncatedLastFramePlaysWholeFramesThenSaysTheFileWasCut() throws {
        var bytes = Y4MBytes.file(header: "YUV4MPEG2 W4 H4 F25:1 Cmono", frames: (0..<3).map { Y4MBytes.payload(16, frame: $0) })
        bytes.removeLast(5)
        let path = files.write("cut.y4m", bytes)
        let reader = try Y4MReader(path: path, pacing: false)
        XCTAssertNotNil(try reader.nextFrame())
        XCTAssertNotNil(try reader.nextFrame())
        XCTAssertThrowsError(try reader.nextFrame()) { error in
            let e = error as! FrameSourceError
            XCTAssertEqual(e.kind, .truncated)
            XCTAssertEqual(e.description, "\(path): the file was cut: frame 3 has 11 of 16 bytes; played 2 whole frames")
        }
        XCTAssertNil(try reader.nextFrame(), "nothing after the cut")
    }

    func testFileCutInsideAFrameLine() throws {
        var bytes = Y4MBytes.file(header: "YUV4MPEG2 W2 H2 Cmono", frames: [Y4MBytes.payload(4, frame: 0)])
        bytes += Array("FRA".utf8)
        let reader = try Y4MReader(path: files.write("cutline.y4m", bytes), pacing: false)
        XCTAssertNotNil(try reader.nextFrame())
        XCTAssertThrowsError(try reader.nextFrame()) { error in
            XCTAssertEqual((error as! FrameSourceError).kind, .truncated)
            XCTAssertTrue("\(error)".contains("played 1 whole frames"), "\(error)")
        }
    }

    func testGarbageWhereAFrameShouldStart() throws {
        var bytes = Y4MBytes.file(header: "YUV4MPEG2 W2 H2 Cmono", frames: [Y4MBytes.payload(4, frame: 0)])
        bytes += Array("JUNK\n".utf8)
        let reader = try Y4MReader(path: files.write("junk.y4m", bytes), pacing: false)
        XCTAssertNotNil(try reader.nextFrame())
        XCTAssertThrowsError(try reader.nextFrame()) { error in
            XCTAssertEqual((error as! FrameSourceError).kind, .badHeader)
            XCTAssertTrue("\(error)".contains("expected a FRAME line before frame 2"), "\(error)")
        }
    }
}
