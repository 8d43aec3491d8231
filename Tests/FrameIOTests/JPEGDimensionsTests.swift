@testable import FrameIO
import XCTest

/// The frame header's size, read before decoding (a photo above the pixel limit is
/// decoded at a fraction of it).
final class JPEGDimensionsTests: XCTestCase {
    private func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let n = payload.count + 2
        return [0xFF, marker, UInt8(n >> 8), UInt8(n & 255)] + payload
    }

    private func size(_ bytes: [UInt8]) -> [Int]? {
        bytes.withUnsafeBufferPointer { JPEGDimensions.of($0).map { [$0.width, $0.height] } }
    }

    func testTheFrameHeaderAfterOtherSegmentsGivesTheSize() {
        let app1 = segment(0xE1, Array("Exif".utf8) + [0, 0] + Array(repeating: 0xFF, count: 40))   // 0xFF inside a segment
        let dht = segment(0xC4, Array(repeating: 1, count: 20))   // in the SOF range, not a SOF
        let sof2 = segment(0xC2, [8, 0x0B, 0xD0, 0x0F, 0xC0, 3])   // progressive, 4032x3024
        let jpeg: [UInt8] = [0xFF, 0xD8] + app1 + [0xFF] + dht + sof2 + segment(0xDA, [0]) + [1, 2, 3]
        XCTAssertEqual(size(jpeg), [4032, 3024])
    }

    func testNoSizeFromAFileWithoutAFrameHeaderOrCutInOne() {
        XCTAssertNil(size([0xFF, 0xD8] + segment(0xDA, [0]) + [0xFF, 0xD9]))
        XCTAssertNil(size([0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 8, 0x0B]))   // cut inside the SOF
        XCTAssertNil(size([0x89, 0x50, 0x4E, 0x47]))                        // not a JPEG
        XCTAssertNil(size([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01]))             // a length below 2
        XCTAssertNil(size([0xFF, 0xD8] + segment(0xC0, [8, 0, 0, 0, 10, 1])))   // no height
    }

    func testTheSmallestReductionWithinThePixelLimit() {
        let limit = MediaLimits.maxPixels
        XCTAssertEqual(JPEGDimensions.reduction(width: 3840, height: 2160, maxPixels: limit), 0)
        XCTAssertEqual(JPEGDimensions.reduction(width: 4032, height: 3024, maxPixels: limit), 1)   // 12 MP
        XCTAssertEqual(JPEGDimensions.reduction(width: 8160, height: 6120, maxPixels: limit), 2)   // 50 MP
        XCTAssertEqual(JPEGDimensions.reduction(width: 16384, height: 12288, maxPixels: limit), 3)  // 200 MP
        XCTAssertNil(JPEGDimensions.reduction(width: 16384, height: 16384, maxPixels: 1_000_000))
    }
}
