import XCTest
@testable import RNNPoolEngine

/// The bytes a too-small --ram-cap is told to grow to must be exactly enough.
final class RequiredArenaTests: XCTestCase {
    private func picture(_ width: Int, _ height: Int) -> [UInt8] {
        (0..<(width * height)).map { UInt8(truncatingIfNeeded: ($0 % width) * 7 ^ ($0 / width) * 3) }
    }

    private func detect(_ detector: RNNPoolDetector, _ width: Int, _ height: Int) throws -> DetectionResult {
        try picture(width, height).withUnsafeBufferPointer {
            try detector.detect(luma: $0, width: width, height: height, threshold: 0.3)
        }
    }

    func testTheRequirementIsWhatARealFrameUsesAndExactlyEnough() throws {
        let model = try RNNPoolModel.load(path: Fixtures.path("random-model"))
        let tooSmall = try RNNPoolDetector(model: model, ramCapBytes: 100 * 1024)
        let required = try XCTUnwrap(tooSmall.requiredArenaBytes)
        XCTAssertThrowsError(try detect(tooSmall, 320, 240), "100K really is too small")

        let roomy = try RNNPoolDetector(model: model, ramCapBytes: 1 << 20)
        for (w, h) in [(640, 480), (320, 240), (97, 61)] {
            XCTAssertEqual(try detect(roomy, w, h).memory.framePeakBytes, required, "\(w)x\(h) needs the same")
        }
        let exact = try RNNPoolDetector(model: model, ramCapBytes: required)
        XCTAssertNoThrow(try detect(exact, 640, 480), "a cap of exactly the requirement works")
        let short = try RNNPoolDetector(model: model, ramCapBytes: required - 1)
        XCTAssertThrowsError(try detect(short, 640, 480), "one byte less does not")
    }
}
