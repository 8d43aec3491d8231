import Foundation
import XCTest
@testable import RNNPoolEngine

/// Every malformed-model case of MODEL_FORMAT.md gives a one-line error naming the file.
final class ModelFileTests: XCTestCase {
    func load(_ data: Data) throws -> (String, RNNPoolModel) {
        let path = try RPMWriter.tinyModel().write(data)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return (path, try RNNPoolModel.load(path: path))
    }

    func expectError(_ data: Data, contains fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        expectModelError(data, contains: fragment, file: file, line: line)
    }

    func testValidTinyModelLoads() throws {
        let (_, model) = try load(RPMWriter.tinyModel().encode())
        XCTAssertEqual(model.architecture.blocks.count, 1)
        XCTAssertEqual(model.architecture.heads[0].sizes, [12, 20])
        XCTAssertGreaterThan(model.weightBytes, 0)
    }

    func testShippedRandomModelLoads() throws {
        let model = try RNNPoolModel.load(path: Fixtures.path("random-model"))
        XCTAssertEqual(model.architecture.input.width, 320)
        XCTAssertEqual(model.architecture.patchesX, 39)
        XCTAssertEqual(model.architecture.patchesY, 29)
    }

    func testWrongMagic() throws {
        var d = try RPMWriter.tinyModel().encode()
        d[0] = UInt8(ascii: "X")
        expectError(d, contains: "wrong magic")
    }

    func testUnsupportedVersion() throws {
        var w = RPMWriter.tinyModel()
        w.version = 3
        expectError(try w.encode(), contains: "unsupported model file version 3")
    }

    func testTruncatedFile() throws {
        let d = try RPMWriter.tinyModel().encode()
        expectError(d.prefix(d.count / 2), contains: "truncated")
        expectError(d.prefix(10), contains: "truncated")
        expectError(d.prefix(5), contains: "truncated")
    }

    func testChecksumMismatch() throws {
        var d = try RPMWriter.tinyModel().encode()
        d[d.count - 8] ^= 0x01        // one bit of the last tensor's data
        expectError(d, contains: "checksum mismatch")
    }

    func testShapeMismatchNamesTensorAndShapes() throws {
        var w = RPMWriter.tinyModel()
        let i = w.entries.firstIndex { $0.name == "blocks.0.dw.weight" }!
        w.entries[i].shape = [16, 1, 3, 3]
        w.entries[i].floats = Array(repeating: 0, count: 144)
        expectError(try w.encode(), contains: "tensor blocks.0.dw.weight: expected shape [64, 1, 3, 3], found [16, 1, 3, 3]")
    }

    func testMissingTensor() throws {
        var w = RPMWriter.tinyModel()
        w.entries.removeAll { $0.name == "rnn2.U" }
        expectError(try w.encode(), contains: "missing tensor rnn2.U")
    }

    func testUnexpectedTensor() throws {
        var w = RPMWriter.tinyModel()
        w.add("blocks.7.dw.weight", shape: [1])
        expectError(try w.encode(), contains: "unexpected tensor blocks.7.dw.weight")
    }

    func testDuplicateTensor() throws {
        var w = RPMWriter.tinyModel()
        w.entries.append(w.entries[0])
        expectError(try w.encode(), contains: "duplicate tensor \(w.entries[0].name)")
    }

    func testUnknownDType() throws {
        var w = RPMWriter.tinyModel()
        w.entries[0].dtype = 9
        expectError(try w.encode(), contains: "unknown dtype code 9")
    }

    func testWrongDTypeForWeights() throws {
        var w = RPMWriter.tinyModel()
        let n = w.entries[1].shape.reduce(1, *)
        w.entries[1].dtype = 1
        w.entries[1].bytes = Array(repeating: 1, count: n)
        expectError(try w.encode(), contains: "expected dtype float32, found uint8")
    }

    func testTrailingBytes() throws {
        var d = try RPMWriter.tinyModel().encode()
        d.insert(contentsOf: [0, 0, 0, 0], at: d.count - 4)
        expectError(refreshCRC(d), contains: "4 bytes left over")
    }

    func testBadJSONAndMissingKey() throws {
        var w = RPMWriter.tinyModel()
        w.header.removeValue(forKey: "postprocess")
        expectError(try w.encode(), contains: "missing key postprocess")

        var d = try RPMWriter.tinyModel().encode()
        d[16] = UInt8(ascii: "!")       // first byte of the JSON
        expectError(refreshCRC(d), contains: "bad JSON header")
    }

    /// What is wrong with the header's JSON is said, not just "not valid JSON" (issue 19).
    func testJSONProblemsNameTheKeyAndTheReason() throws {
        func with(_ section: String, _ key: String, _ value: Any) throws -> Data {
            var w = RPMWriter.tinyModel()
            var part = w.header[section] as! [String: Any]
            part[key] = value
            w.header[section] = part
            return try w.encode()
        }
        expectError(try with("input", "width", "320"), contains: "input.width is not an integer")
        expectError(try with("rnnpool", "pad_to", 40), contains: "rnnpool.pad_to is not a list")
        expectError(try with("input", "scale", NSNull()), contains: "input.scale is null, expected a number")
        // Foundation's decoder gives no key for a number its field cannot hold (320.5 for
        // an integer, 1e39 for a float): the message says that much.
        expectError(try with("input", "width", 320.5), contains: "a number out of its field's range")
    }

    func testHeadReadingMissingBlockIsRejected() throws {
        var w = RPMWriter.tinyModel()
        var heads = w.header["heads"] as! [[String: Any]]
        heads[0]["block"] = 3
        w.header["heads"] = heads
        expectError(try w.encode(), contains: "head 0 reads block 3")
    }

    func testTensorNamesMustBePrintableASCIIAndAreShownEscaped() throws {
        var w = RPMWriter.tinyModel()
        w.entries[0].name = "stem\n\u{1B}[31m"
        expectError(try w.encode(), contains: #"tensor 0: name "stem\x0A\x1B[31m" is not 1-255 bytes of printable ASCII"#)
        w.entries[0].name = ""
        expectError(try w.encode(), contains: #"tensor 0: name "" is not"#)
    }

    func testTheChecksumIsCheckedBeforeTheStructure() throws {
        // A tensor count of 2^32-1 would be "truncated" if the structure were read first.
        var d = try RPMWriter.tinyModel().encode()
        let headerLength = Int(d[12]) | Int(d[13]) << 8
        for i in 0..<4 { d[16 + headerLength + i] = 0xFF }
        expectError(d, contains: "checksum mismatch")
        expectError(refreshCRC(d), contains: "4294967295 tensors, above the limit of 4096")
    }

    func testHyperParametersOutsideTheLimitsAreRefusedBeforeUse() throws {
        for (section, key, value, message) in [
            ("input", "width", Int.max, "input.width 9223372036854775807 is outside 16...4096"),
            ("postprocess", "top_k", 1 << 62, "postprocess.top_k 4611686018427387904 is outside 1...100000"),
            ("stem", "out_channels", 0, "stem.out_channels 0 is outside 1...1024"),
        ] as [(String, String, Int, String)] {
            var w = RPMWriter.tinyModel()
            var part = w.header[section] as! [String: Any]
            part[key] = value
            w.header[section] = part
            expectError(try w.encode(), contains: message)
        }
    }

    func testBoxVoteOutsideZeroToOneAndANonPositiveCoarseSplitAreRefused() throws {
        let cases: [(key: String, bad: [Double], message: String)] = [
            ("box_vote", [0.0, 1.5, -0.2], "postprocess.box_vote must be in (0, 1]"),
            ("coarse_split", [0.0, -80], "postprocess.coarse_split must be a positive number of pixels"),
        ]
        for c in cases {
            for bad in c.bad {
                var w = RPMWriter.tinyModel()
                var pp = w.header["postprocess"] as! [String: Any]
                pp[c.key] = bad
                w.header["postprocess"] = pp
                expectError(try w.encode(), contains: c.message)
            }
        }
    }

    func testAFileOverTheSizeLimitIsRefusedUnread() {
        XCTAssertThrowsError(try RNNPoolModel.load(path: "/dev/zero")) { e in
            XCTAssertEqual((e as? ModelFileError)?.description, "/dev/zero: cannot read model file (larger than the 64 MiB limit)")
        }
    }

    func testMissingFile() {
        let path = "/nonexistent/dir/model.rpm"
        XCTAssertThrowsError(try RNNPoolModel.load(path: path)) { e in
            XCTAssertEqual((e as? ModelFileError)?.description, "\(path): cannot read model file (no such file)")
        }
    }

    func testFixtureIsNotAModel() throws {
        XCTAssertThrowsError(try RNNPoolModel.load(path: Fixtures.path("random-golden-gradient"))) { e in
            XCTAssertTrue("\(e)".contains("kind is \"fixture\""), "\(e)")
        }
    }
}

    /// Loads `data` expecting a ModelFileError; checks it is one line naming the file.
func expectModelError(_ data: Data, contains fragment: String, file: StaticString = #filePath, line: UInt = #line) {
    let path = try! RPMWriter.tinyModel().write(data)
    defer { try? FileManager.default.removeItem(atPath: path) }
    do {
        _ = try RNNPoolModel.load(path: path)
        XCTFail("loaded a malformed model", file: file, line: line)
    } catch let e as ModelFileError {
        let text = e.description
        XCTAssertTrue(text.hasPrefix(path + ": "), "error does not name the file: \(text)", file: file, line: line)
        XCTAssertFalse(text.contains("\n"), "error is not one line: \(text)", file: file, line: line)
        XCTAssertTrue(text.contains(fragment), "expected '\(fragment)' in: \(text)", file: file, line: line)
    } catch {
        XCTFail("unexpected error type \(error)", file: file, line: line)
    }
}
