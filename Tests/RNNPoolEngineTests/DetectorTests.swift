import Foundation
import XCTest
@testable import RNNPoolEngine

final class DetectorTests: XCTestCase {
    func frame(width: Int, height: Int) -> [UInt8] {
        (0..<(width * height)).map { UInt8(truncatingIfNeeded: ($0 % width) * 3 + ($0 / width) * 5) }
    }

    func testTooSmallCapThrowsOverflowAndDetectorRecovers() throws {
        let model = try RNNPoolModel.load(path: Fixtures.path("random-model"))
        let img = frame(width: 320, height: 240)
        let small = try RNNPoolDetector(model: model, ramCapBytes: 100_000)
        XCTAssertThrowsError(try img.withUnsafeBufferPointer {
            try small.detect(luma: $0, width: 320, height: 240, threshold: 0.5)
        }) { e in
            let o = e as! ArenaOverflowError
            XCTAssertTrue(small.layerNames.contains(o.layer), "names a real layer: \(o.layer)")
            XCTAssertGreaterThan(o.missingBytes, 0)
        }
        XCTAssertEqual(small.memory.currentBytes, 0, "nothing leaks out of an aborted frame")
        // Same detector, same model, a cap that fits: works, twice, with the same result.
        let ok = try RNNPoolDetector(model: model, ramCapBytes: 256 * 1024)
        let r1 = try img.withUnsafeBufferPointer { try ok.detect(luma: $0, width: 320, height: 240, threshold: 0.5) }
        let r2 = try img.withUnsafeBufferPointer { try ok.detect(luma: $0, width: 320, height: 240, threshold: 0.5) }
        XCTAssertEqual(r1.faces, r2.faces)
    }

    func testMemorySnapshotIsFilledTruthfully() throws {
        let model = try RNNPoolModel.load(path: Fixtures.path("random-model"))
        let det = try RNNPoolDetector(model: model, ramCapBytes: 256 * 1024)
        let img = frame(width: 640, height: 480)
        let r = try img.withUnsafeBufferPointer { try det.detect(luma: $0, width: 640, height: 480, threshold: 0.5) }
        let m = r.memory
        XCTAssertEqual(m.capBytes, 256 * 1024)
        XCTAssertEqual(m.currentBytes, 0, "everything is freed between frames")
        XCTAssertLessThanOrEqual(m.framePeakBytes, m.capBytes)
        XCTAssertEqual(m.peakBytes, m.framePeakBytes)
        // Streamed (the default): the network's input costs 3 rows, never the 76,800-byte
        // frame; held whole (--hold-frame), the peak holds most of the frame too.
        XCTAssertFalse(m.inputHeld)
        XCTAssertEqual(m.layers.first { $0.name == "input" }?.ownBytes, 3 * 320)
        XCTAssertEqual(m.streamedPeakBytes, m.framePeakBytes)
        let held = try XCTUnwrap(m.heldFramePeakBytes)
        XCTAssertGreaterThan(held, 320 * 240)
        XCTAssertGreaterThan(held, m.framePeakBytes + 320 * 240 / 2)
        XCTAssertEqual(m.layers.map(\.name).prefix(4), ["input", "scratch", "stem", "rnnpool"])
        XCTAssertEqual(m.layers.map(\.peakBytes).max(), m.framePeakBytes)
        XCTAssertEqual(m.timeline.max(), m.framePeakBytes)
        XCTAssertGreaterThan(m.timeline.count, 29, "sampled at least once per RNNPool patch row")
        XCTAssertEqual(m.weightBytes, model.weightBytes)
        XCTAssertEqual(m.baselinePeakBytes, det.baselinePlan.peakBytes)
        XCTAssertGreaterThan(m.baselinePeakBytes, 4 * m.framePeakBytes)
        for f in r.faces {
            XCTAssertGreaterThanOrEqual(f.score, 0.5)
            XCTAssertTrue(f.x >= 0 && f.y >= 0 && f.x + f.w <= 640.001 && f.y + f.h <= 480.001, "box inside the source")
        }
    }

    /// Issue 23's target: the shipped detector at 320×240, int8, input streamed, in at
    /// most 48 KiB of arena, whatever the source size; the frame held costs the input.
    func testShippedModelStreamsIn48KiB() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../assets/models/rnnpool-face.rpm").standardizedFileURL.path
        let model = try RNNPoolModel.load(path: path)
        let det = try RNNPoolDetector(model: model, ramCapBytes: 48 * 1024, precision: .int8)
        for (w, h) in [(320, 240), (640, 480), (1280, 720)] {
            let img = frame(width: w, height: h)
            let r = try img.withUnsafeBufferPointer { try det.detect(luma: $0, width: w, height: h, threshold: 0.05) }
            XCTAssertLessThanOrEqual(r.memory.framePeakBytes, 48 * 1024, "\(w)×\(h)")
            // No layer but the input ring holds anything that grows with the frame.
            XCTAssertEqual(r.memory.layers.first { $0.name == "input" }?.ownBytes, 3 * 320)
            XCTAssertEqual(r.memory.layers.filter { $0.name.hasPrefix("heads.") }.map(\.ownBytes).max(), 0,
                           "head outputs and norms live in the shared scratch")
        }
        XCTAssertEqual(det.requiredArenaBytes, try img320Peak(det))
        XCTAssertGreaterThan(try XCTUnwrap(det.otherAccountingArenaBytes), 96 * 1024, "the frame held does not fit")
    }

    private func img320Peak(_ det: RNNPoolDetector) throws -> Int {
        let img = frame(width: 320, height: 240)
        return try img.withUnsafeBufferPointer { try det.detect(luma: $0, width: 320, height: 240, threshold: 0.5) }
            .memory.framePeakBytes
    }

    func testTinyModelRunsAtItsOwnResolution() throws {
        let path = try RPMWriter.tinyModel().write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let model = try RNNPoolModel.load(path: path)
        let det = try RNNPoolDetector(model: model, ramCapBytes: 64 * 1024)
        var rows: Set<String> = []
        det.tap = { name, _, _, _, _, _ in rows.insert(name) }
        let img = frame(width: 64, height: 48)
        _ = try img.withUnsafeBufferPointer { try det.detect(luma: $0, width: 64, height: 48, threshold: 0.0) }
        XCTAssertEqual(rows, ["stem", "rnnpool", "blocks.0", "heads.0.loc", "heads.0.conf"])
    }

    func testStreamedAndHeldInputFindTheSameBoxesBitForBit() throws {
        for name in ["random-model", "random-model-int8"] {
            let model = try RNNPoolModel.load(path: Fixtures.path(name))
            let streamed = try RNNPoolDetector(model: model, ramCapBytes: 1 << 20)
            let held = try RNNPoolDetector(model: model, ramCapBytes: 1 << 20, holdFrame: true)
            // Same size, 2:1, k:1, and a general box filter with an odd letterbox.
            for (w, h) in [(320, 240), (640, 480), (1280, 960), (97, 61), (300, 400)] {
                let img = frame(width: w, height: h)
                let a = try img.withUnsafeBufferPointer { try streamed.detect(luma: $0, width: w, height: h, threshold: 0.05) }
                let b = try img.withUnsafeBufferPointer { try held.detect(luma: $0, width: w, height: h, threshold: 0.05) }
                XCTAssertEqual(a.faces.map { [$0.x, $0.y, $0.w, $0.h, $0.score].map(\.bitPattern) },
                               b.faces.map { [$0.x, $0.y, $0.w, $0.h, $0.score].map(\.bitPattern) }, "\(name) \(w)x\(h)")
                XCTAssertTrue(b.memory.inputHeld)
                XCTAssertLessThan(a.memory.framePeakBytes, b.memory.framePeakBytes)
            }
        }
    }

    /// The int8 heads compute their score channels first and their loc-only channels only
    /// for passes where an anchor may score; a tap (whole rows) turns that off. Both must
    /// give the same boxes, bit for bit, down to the AP threshold's many low scores.
    func testScoresFirstHeadsFindTheSameBoxesAsWholePasses() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../assets/models/rnnpool-face.rpm").standardizedFileURL.path
        let model = try RNNPoolModel.load(path: path)
        let golden = try RPMContainer.read(path: Fixtures.path("random-int8-astronaut"))
        let source = try XCTUnwrap(golden.tensor("source"))
        let (h, w) = (source.shape[0], source.shape[1])
        for size in [(320, 240), (640, 480)] {
            let det = try RNNPoolDetector(model: model, ramCapBytes: 256 * 1024, precision: .int8,
                                          inputSize: (width: size.0, height: size.1))
            XCTAssertTrue(det.network.heads.contains { $0.kernel.splitsScores }, "the shipped heads split")
            let split = try source.bytes.withUnsafeBufferPointer { try det.detect(luma: $0, width: w, height: h, threshold: 0.05) }
            det.tap = { _, _, _, _, _, _ in }
            let whole = try source.bytes.withUnsafeBufferPointer { try det.detect(luma: $0, width: w, height: h, threshold: 0.05) }
            XCTAssertGreaterThan(split.faces.count, 5, "low scores too")
            XCTAssertEqual(split.faces.map { [$0.x, $0.y, $0.w, $0.h, $0.score].map(\.bitPattern) },
                           whole.faces.map { [$0.x, $0.y, $0.w, $0.h, $0.score].map(\.bitPattern) }, "\(size)")
        }
    }
}
