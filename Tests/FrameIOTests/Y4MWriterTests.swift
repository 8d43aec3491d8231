import XCTest
@testable import FrameIO

final class Y4MWriterTests: XCTestCase {
    let files = TestFiles()

    private func frame(_ w: Int, _ h: Int, index: Int, chroma: ChromaSubsampling? = nil) -> Frame {
        let luma = Y4MBytes.payload(w * h, frame: index)
        var planes: ChromaPlanes?
        if let chroma {
            let s = chroma.planeSize(width: w, height: h)
            planes = ChromaPlanes(subsampling: chroma, width: s.width, height: s.height,
                                  cb: Y4MBytes.payload(s.width * s.height, frame: index, salt: 1),
                                  cr: Y4MBytes.payload(s.width * s.height, frame: index, salt: 2))
        }
        return Frame(width: w, height: h, luma: luma, chroma: planes, timestamp: 0, index: index)
    }

    func testMonoRecordingHasHeaderAndWholeFramesAndReadsBack() throws {
        let path = files.path("mono.y4m")
        let writer = try Y4MWriter(path: path, width: 6, height: 4, fps: 15, color: false)
        let frames = (0..<3).map { frame(6, 4, index: $0, chroma: .c420) }
        for f in frames { try writer.append(f) }
        XCTAssertEqual(writer.framesWritten, 3)
        try writer.close()
        let header = "YUV4MPEG2 W6 H4 F15:1 Ip A1:1 Cmono\n"
        XCTAssertEqual(files.read(path).count, header.utf8.count + 3 * (6 + 24))
        XCTAssertTrue(files.read(path).starts(with: Array(header.utf8)))
        let reader = try Y4MReader(path: path, pacing: false)
        for f in frames { XCTAssertEqual(try reader.nextFrame()?.luma, f.luma) }
        XCTAssertNil(try reader.nextFrame())
    }

    func testColourRecordingStores420jpegFromEverySubsampling() throws {
        for sub in ChromaSubsampling.allCases {
            let path = files.path("colour-\(sub.rawValue).y4m")
            let writer = try Y4MWriter(path: path, width: 4, height: 4, fps: 30000.0 / 1001, color: true)
            let f = frame(4, 4, index: 1, chroma: sub)
            try writer.append(f)
            try writer.close()
            let reader = try Y4MReader(path: path, pacing: false)
            XCTAssertEqual(reader.header.colourspace, .c420jpeg)
            XCTAssertEqual(reader.header.fpsNumerator, 30000)
            XCTAssertEqual(reader.header.fpsDenominator, 1001)
            let back = try XCTUnwrap(reader.nextFrame())
            XCTAssertEqual(back.luma, f.luma)
            let c = try XCTUnwrap(back.chroma)
            XCTAssertEqual(c.width, 2)
            XCTAssertEqual(c.height, 2)
            let src = f.chroma!
            // The top-left 4:2:0 sample averages the source samples it covers.
            let expected: Int
            switch sub {
            case .c420: expected = Int(src.cb[0])
            case .c422: expected = (Int(src.cb[0]) + Int(src.cb[src.width]) + 1) / 2
            case .c444: expected = (Int(src.cb[0]) + Int(src.cb[1]) + Int(src.cb[4]) + Int(src.cb[5]) + 2) / 4
            }
            XCTAssertEqual(Int(c.cb[0]), expected, "\(sub)")
        }
    }

    func testColourRecordingOfAMonoFrameUsesNeutralChroma() throws {
        let path = files.path("grey.y4m")
        let writer = try Y4MWriter(path: path, width: 3, height: 3, fps: 10, color: true)
        try writer.append(frame(3, 3, index: 0))
        try writer.close()
        let back = try XCTUnwrap(try Y4MReader(path: path, pacing: false).nextFrame())
        XCTAssertEqual(back.chroma?.cb, [UInt8](repeating: 128, count: 4))
    }

    func testFrameOfTheWrongSizeIsRefusedAndNothingIsWritten() throws {
        let path = files.path("size.y4m")
        let writer = try Y4MWriter(path: path, width: 4, height: 4, fps: 10, color: false)
        XCTAssertThrowsError(try writer.append(frame(2, 2, index: 0))) { error in
            XCTAssertTrue("\(error)".contains("frame is 2x2 but the recording is 4x4"), "\(error)")
        }
        try writer.close()
        XCTAssertEqual(writer.framesWritten, 0)
        XCTAssertNil(try Y4MReader(path: path, pacing: false).nextFrame())
    }

    func testUnwritablePathsSayWhy() {
        XCTAssertThrowsError(try Y4MWriter(path: files.path("no/such/dir/x.y4m"), width: 2, height: 2, fps: 10, color: false)) { error in
            XCTAssertTrue("\(error)".contains("folder does not exist"), "\(error)")
        }
        XCTAssertThrowsError(try Y4MWriter(path: files.directory, width: 2, height: 2, fps: 10, color: false)) { error in
            XCTAssertTrue("\(error)".contains("is a directory"), "\(error)")
        }
    }

    func testCloseTwiceAndAppendAfterClose() throws {
        let writer = try Y4MWriter(path: files.path("c.y4m"), width: 2, height: 2, fps: 10, color: false)
        try writer.close()
        try writer.close()
        XCTAssertThrowsError(try writer.append(frame(2, 2, index: 0)))
    }

    func testFrameRateRatios() {
        XCTAssertTrue(Y4MHeader.ratio(forFPS: 30) == (30, 1))
        XCTAssertTrue(Y4MHeader.ratio(forFPS: 29.97) == (30000, 1001))
        XCTAssertTrue(Y4MHeader.ratio(forFPS: 12.5) == (25, 2))
    }
}
