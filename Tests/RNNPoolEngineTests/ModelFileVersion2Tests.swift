import Foundation
import XCTest
@testable import RNNPoolEngine

/// Version 2 (int8 activation scales in the header): valid files load with their
/// scales, each malformed `activations` section is a one-line error naming the file,
/// and version-1 files still load and run on the float path only.
final class ModelFileVersion2Tests: XCTestCase {
    /// The tiny model as version 2 with `scales` (default: a valid set).
    func tinyV2(_ scales: [String: Any]? = nil, dtype: Any = "int8", section: Any? = nil) -> RPMWriter {
        var w = RPMWriter.tinyModel()
        w.version = 2
        let valid: [String: Any] = ["stem": 0.05, "rnnpool.summaries": 0.01, "rnnpool": 0.008, "blocks.0": 0.1]
        w.header["activations"] = section ?? ["dtype": dtype, "scales": scales ?? valid]
        return w
    }

    func testValidVersion2LoadsItsScales() throws {
        let path = try tinyV2().write(try tinyV2().encode())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let m = try RNNPoolModel.load(path: path)
        XCTAssertEqual(m.activationScales, ActivationScales(stem: 0.05, summaries: 0.01, rnnpool: 0.008, blocks: [0.1]))
        // The default precision follows the file: int8 with scales.
        XCTAssertEqual(try RNNPoolDetector(model: m, ramCapBytes: 256 * 1024).precision, .int8)
        XCTAssertEqual(try RNNPoolDetector(model: m, ramCapBytes: 256 * 1024, precision: .float).precision, .float)
    }

    func testVersion1LoadsOnTheFloatPathOnly() throws {
        let m = try RNNPoolModel.load(path: Fixtures.path("random-model"))
        XCTAssertNil(m.activationScales)
        XCTAssertEqual(try RNNPoolDetector(model: m, ramCapBytes: 256 * 1024).precision, .float)
        XCTAssertThrowsError(try RNNPoolDetector(model: m, ramCapBytes: 256 * 1024, precision: .int8)) { e in
            let text = "\(e)"
            XCTAssertTrue(text.hasPrefix(m.path + ": "), text)
            XCTAssertTrue(text.contains("without int8 activation scales"), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }

    func testMalformedActivationSections() throws {
        var noSection = RPMWriter.tinyModel()
        noSection.version = 2
        expectModelError(try noSection.encode(), contains: "missing key activations")
        expectModelError(try tinyV2(section: "int8").encode(), contains: "activations must be")
        expectModelError(try tinyV2(dtype: "int4").encode(), contains: "activations.dtype \"int4\"")
        expectModelError(try tinyV2(["stem": 0.05, "rnnpool.summaries": 0.01, "rnnpool": 0.008]).encode(),
                      contains: "missing key activations.scales.blocks.0")
        expectModelError(try tinyV2(["stem": 0.05, "rnnpool.summaries": 0.01, "rnnpool": 0.008, "blocks.0": 0.1,
                                  "blocks.7": 0.1]).encode(), contains: "blocks.7, which the architecture does not store")
        for bad: Any in [0, -0.5, 1e300, "0.1"] {
            let w = tinyV2(["stem": bad, "rnnpool.summaries": 0.01, "rnnpool": 0.008, "blocks.0": 0.1])
            expectModelError(try w.encode(), contains: "activations")
        }
    }
}
