import Foundation
import XCTest
@testable import RNNPoolEngine

/// The Swift engine against PyTorch (scripts/train/reference.py) on the same model file
/// and the same source images: every layer's output, the raw head outputs and the
/// final boxes.
final class GoldenTests: XCTestCase {
    func testRandomModelAstronaut() throws { try compare(fixture: "random-golden-astronaut", model: "random-model") }
    func testRandomModelGradient() throws { try compare(fixture: "random-golden-gradient", model: "random-model") }

    /// Every `*-golden-*.rpm` in Fixtures, against the model its header names (found in
    /// Fixtures or in assets/models): the trained model's fixtures join here by just
    /// being added.
    func testEveryGoldenFixture() throws {
        let all = try goldenFixturesWithModels()
        XCTAssertGreaterThanOrEqual(all.count, 2)
        for (fixture, model) in all {
            try compare(fixture: String(URL(fileURLWithPath: fixture).lastPathComponent.dropLast(4)), model: nil, modelPath: model)
        }
    }

    func compare(fixture: String, model modelName: String?, modelPath: String? = nil) throws {
        let modelFile = try RPMContainer.read(path: modelPath ?? Fixtures.path(modelName!))
        let model = try RNNPoolModel.from(container: modelFile)
        let golden = try RPMContainer.read(path: Fixtures.path(fixture))
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: golden.headerJSON) as? [String: Any])
        let threshold = try XCTUnwrap(header["threshold"] as? Double)
        let source = try XCTUnwrap(golden.tensor("source"))
        let (h0, w0) = (source.shape[0], source.shape[1])

        // The letterbox gives the exact bytes Python fed the network.
        let expectedInput = try XCTUnwrap(golden.tensor("input")).bytes
        var input = [UInt8](repeating: 0, count: 320 * 240)
        Letterbox(sourceWidth: w0, sourceHeight: h0, width: 320, height: 240)
            .apply(source: source.bytes, into: &input)
        XCTAssertEqual(input, expectedInput, "letterbox differs from Python's")

        var heights: [String: Int] = [:]
        for t in golden.tensors where t.shape.count == 3 { heights[t.name] = t.shape[1] }
        let recorder = LayerRecorder(heights: heights)
        // The default RAM cap: the golden run is also the proof that the float path fits.
        // Float fixtures hold the float reference; a version-2 model runs it with --precision float.
        let detector = try RNNPoolDetector(model: model, ramCapBytes: 256 * 1024, precision: .float)
        detector.tap = recorder.tap
        let result = try source.bytes.withUnsafeBufferPointer {
            try detector.detect(luma: $0, width: w0, height: h0, threshold: Float(threshold))
        }

        for t in golden.tensors where t.shape.count == 3 {
            let got = try XCTUnwrap(recorder.maps[t.name], "engine produced no \(t.name)")
            let shape = try XCTUnwrap(recorder.shapes[t.name])
            XCTAssertEqual([shape.c, shape.h, shape.w], t.shape, t.name)
            // Relative 1e-4 per value; values smaller than 1% of the tensor's largest
            // magnitude are compared at that scale (float32 rounding of the sums that
            // produce near-zero values is relative to their terms, not to the result).
            let scale = t.floats.reduce(0) { max($0, abs($1)) }
            var floor = [Float](repeating: max(1e-3, 0.01 * scale), count: t.count)
            if t.name.hasPrefix("heads.") {
                // Head outputs are sums of ~300 products that can cancel (the calibrated
                // conf heads have biases near −40): compare at 1% of the summed term
                // magnitudes where that is larger, the conditioning any float32 sum has.
                let terms = try headTermMagnitudes(t.name, model: model, container: modelFile, recorder: recorder)
                for i in floor.indices { floor[i] = max(floor[i], 0.01 * terms[i]) }
            }
            let err = maxRelativeError(got, t.floats, floors: floor)
            // End to end, each layer carries the rounding of all layers before it, in two
            // float32 implementations at once: on the shipped model PyTorch's float32 is up
            // to 2.1e-4 from a float64 evaluation (blocks.4; docs/BENCHMARKS.md), so the two
            // may differ by up to twice that. Layer by layer, from the same inputs,
            // LayerGoldenTests holds 2e-4; the boxes below must still agree.
            XCTAssertLessThanOrEqual(err, 5e-4, "\(fixture) \(t.name): max relative error \(err)")
        }

        try assertBoxesMatch(result.faces, golden, fixture: fixture) { _, e in 1e-3 * max(1, abs(e)) }
    }
}
