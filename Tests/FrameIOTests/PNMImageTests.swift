import XCTest
@testable import FrameIO

final class PNMImageTests: XCTestCase {
    let files = TestFiles()

    func testP2WithCommentsEverywhere() throws {
        let path = files.write("a.pgm", "P2\n# made by hand\n3 # width\n2\n# maxval next\n255\n0 10 20\n# mid-raster comment\n30 40 255\n")
        let f = try PNMImage.read(path: path)
        XCTAssertEqual(f.width, 3)
        XCTAssertEqual(f.height, 2)
        XCTAssertEqual(f.luma, [0, 10, 20, 30, 40, 255])
        XCTAssertNil(f.chroma)
    }

    func testP5Binary() throws {
        let raster: [UInt8] = [0, 1, 2, 250, 251, 10]   // includes bytes that look like whitespace
        let path = files.write("b.pgm", Array("P5\n#c\n2 3\n255\n".utf8) + raster)
        let f = try PNMImage.read(path: path)
        XCTAssertEqual(f.luma, raster)
        XCTAssertEqual(f.width, 2)
        XCTAssertEqual(f.height, 3)
    }

    func testSmallMaxvalIsScaledToFullRange() throws {
        let f = try PNMImage.read(path: files.write("m.pgm", "P2 2 1 15 0 15"))
        XCTAssertEqual(f.luma, [0, 255])
        let g = try PNMImage.read(path: files.write("m5.pgm", Array("P5 2 1 1\n".utf8) + [0, 1]))
        XCTAssertEqual(g.luma, [0, 255])
    }

    func testP3AndP6GiveLumaAndChroma() throws {
        // White, red, green, blue.
        let rgb: [UInt8] = [255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255]
        let p6 = try PNMImage.read(path: files.write("c.ppm", Array("P6\n2 2\n255\n".utf8) + rgb))
        let p3 = try PNMImage.read(path: files.write("c3.ppm", "P3\n# rgb\n2 2\n255\n" + rgb.map(String.init).joined(separator: " ")))
        for f in [p6, p3] {
            XCTAssertEqual(f.luma, [255, 76, 150, 29])   // BT.601 full range
            XCTAssertEqual(f.chroma?.subsampling, .c444)
            XCTAssertEqual(f.chroma?.cb[0], 128)
            XCTAssertGreaterThan(f.chroma!.cr[1], 200, "red has high Cr")
            XCTAssertGreaterThan(f.chroma!.cb[3], 200, "blue has high Cb")
        }
    }

    func testWritePGMReadsBack() throws {
        let frame = Frame(width: 3, height: 2, luma: [1, 2, 3, 4, 5, 6], timestamp: 0, index: 0)
        let path = files.path("out.pgm")
        try PNMImage.writePGM(frame, to: path)
        XCTAssertEqual(files.read(path), Array("P5\n3 2\n255\n".utf8) + [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try PNMImage.read(path: path).luma, frame.luma)
    }

    private func assertFails(_ bytes: [UInt8], _ kind: FrameSourceError.Kind, _ words: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        let path = files.write("bad-\(UUID().uuidString).pgm", bytes)
        XCTAssertThrowsError(try PNMImage.read(path: path), file: file, line: line) { error in
            let e = error as! FrameSourceError
            XCTAssertEqual(e.kind, kind, e.description, file: file, line: line)
            XCTAssertTrue(e.description.hasPrefix(path + ": "), file: file, line: line)
            XCTAssertTrue(e.description.contains(words), e.description, file: file, line: line)
        }
    }

    func testErrors() {
        assertFails(Array("GIF89a".utf8), .badMagic, "not a PGM or PPM image")
        assertFails(Array("P4\n1 1\n\u{0}".utf8), .badMagic, "P1/P4 bitmaps")
        assertFails([], .emptyFile, "empty file")
        assertFails(Array("P5\n2 2\n65535\n".utf8), .unsupportedMaxval, "only 8-bit")
        assertFails(Array("P5\n4 4\n255\n".utf8) + [1, 2, 3], .truncated, "3 of 16 raster bytes")
        assertFails(Array("P2 2 2 255 1 2 3".utf8), .truncated, "3 of 4 samples")
        assertFails(Array("P2 1 1 100 200".utf8), .badHeader, "exceeds maxval")
        assertFails(Array("P5\n2".utf8), .badHeader, "ends before the height")
        assertFails(Array("P5\n0 2 255\n".utf8), .badHeader, "bad image size")
    }

    func testMissingFile() {
        XCTAssertThrowsError(try PNMImage.read(path: files.path("none.pgm"))) { error in
            XCTAssertEqual((error as! FrameSourceError).kind, .noSuchFile)
        }
    }
}
