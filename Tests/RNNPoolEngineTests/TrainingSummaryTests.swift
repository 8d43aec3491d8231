import Foundation
import XCTest
@testable import RNNPoolEngine

/// The header's "training" object, as `--version` shows it: read leniently.
final class TrainingSummaryTests: XCTestCase {
    private func decode(_ json: String) -> TrainingSummary? { TrainingSummary.decode(Data(json.utf8)) }

    func testDateAndValAP50() {
        XCTAssertEqual(decode(#"{"training": {"date": "2026-11-30", "val": {"AP50": 0.8084}}}"#),
                       TrainingSummary(date: "2026-11-30", valAP50: 0.8084))
    }

    func testMissingOrMalformedPartsAreLeftOut() {
        XCTAssertNil(decode(#"{"kind": "model"}"#), "no training object")
        XCTAssertEqual(decode(#"{"training": {"date": 20261130, "val": {"AP50": "high"}}}"#), TrainingSummary())
        XCTAssertEqual(decode(#"{"training": {"val": {"AP50": 7}}}"#), TrainingSummary(), "AP outside 0...1")
        XCTAssertNil(decode("not json"))
    }

    func testControlBytesInTheDateAreEscapedAndItsLengthBounded() throws {
        let s = try XCTUnwrap(decode(#"{"training": {"date": "\u001b[2J2026-11-30 and then a very long story"}}"#))
        let date = try XCTUnwrap(s.date)
        XCTAssertFalse(date.unicodeScalars.contains { $0.value < 0x20 }, date)
        XCTAssertLessThanOrEqual(date.utf8.count, 40, date)
    }

    func testTheShippedModelSaysWhenItWasTrained() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../assets/models/rnnpool-face.rpm").standardizedFileURL.path
        XCTAssertEqual(try RNNPoolModel.load(path: path).training?.date, "2026-11-30")
    }
}
