@testable import FrameIO
import Foundation
import XCTest

/// HEIF and AVIF photos (an iPhone's .HEIC) through libheif, on files heif-enc makes here.
final class HEIFImageTests: XCTestCase {
    let files = TestFiles()

    private func meanDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        zip(a, b).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.count)
    }

    func testHEICAndAVIFReadAsThePictureTheyHold() throws {
        let pgm = files.path("f.pgm"), png = files.path("f.png")
        try MediaClips.make(["-i", MediaClips.demo, "-frames:v", "1", pgm])
        try MediaClips.make(["-i", pgm, png])
        let reference = try PNMImage.read(path: pgm)
        for (name, extra) in [("f.heic", [String]()), ("f.avif", ["-A"])] {
            let path = files.path(name)
            try MediaClips.heifEncode(extra + ["-q", "95", png, "-o", path])
            XCTAssertEqual(PictureFileKind.of(path: path), .heif, name)
            let still = try StillImage.read(path: path)
            XCTAssertEqual([still.width, still.height], [320, 240], name)
            XCTAssertNil(still.reducedFrom)
            XCTAssertLessThan(meanDifference(still.luma, reference.luma), 1.0, name)   // full range, like the PNG
        }
    }

    /// An iPhone's 12 MP photo is averaged down to within the pixel limit, its own size kept.
    func testAPhonesHEICIsReducedWithItsOwnSizeKept() throws {
        let png = files.path("big.png"), heic = files.path("big.heic")
        try MediaClips.make(["-i", MediaClips.demo, "-frames:v", "1", "-vf", "scale=4032:3024", png])
        try MediaClips.heifEncode(["-q", "80", png, "-o", heic])
        let still = try StillImage.read(path: heic)
        XCTAssertEqual([still.width, still.height], [2016, 1512])
        XCTAssertEqual(still.reducedFrom.map { [$0.width, $0.height] }, [4032, 3024])
    }

    func testReductionAveragesWholeBlocksAndTheEdgesOnesOverWhatTheyHave() {
        // 5 x 3, at most 4 pixels: factor 2 gives 3 x 2.
        let luma: [UInt8] = [0, 2, 10, 20, 100,
                             4, 6, 30, 40, 200,
                             8, 9, 50, 51, 255]
        let f = luma.withUnsafeBufferPointer { HEIFImage.reduced($0, width: 5, height: 3, maxPixels: 6) }
        XCTAssertEqual([f.width, f.height], [3, 2])
        XCTAssertEqual(f.luma, [3, 25, 150, 9, 51, 255])   // (0+2+4+6)/4, …, (100+200)/2; (8+9)/2 → 9 (8.5 rounded up)
        XCTAssertEqual(f.reducedFrom.map { [$0.width, $0.height] }, [5, 3])
        let same = luma.withUnsafeBufferPointer { HEIFImage.reduced($0, width: 5, height: 3, maxPixels: 15) }
        XCTAssertEqual(same.luma, luma)
        XCTAssertNil(same.reducedFrom)
    }

    func testDamagedAndEmptyHEIFFilesAreRefusedInOneLine() throws {
        var bytes: [UInt8] = [0, 0, 0, 24] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8)
        bytes += [UInt8](repeating: 0x41, count: 200)
        let damaged = files.write("bad.heic", bytes)
        XCTAssertEqual(PictureFileKind.of(path: damaged), .heif)
        XCTAssertThrowsError(try StillImage.read(path: damaged)) {
            let text = "\($0)"
            XCTAssertTrue(text.hasPrefix(damaged + ": "), text)
            XCTAssertFalse(text.contains("\n"), text)
        }
        let png = files.path("f.png"), heic = files.path("f.heic")
        try MediaClips.make(["-i", MediaClips.demo, "-frames:v", "1", png])
        try MediaClips.heifEncode(["-q", "50", png, "-o", heic])
        let cut = files.write("cut.heic", Array(files.read(heic).prefix(600)))
        XCTAssertThrowsError(try StillImage.read(path: cut)) { XCTAssertTrue("\($0)".hasPrefix(cut + ": "), "\($0)") }
    }
}
