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
        let dir = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.contains("-golden-") && $0.hasSuffix(".rpm") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 2)
        let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../assets/models").standardizedFileURL
        for name in names {
            let golden = try RPMContainer.read(path: dir.appendingPathComponent(name).path)
            let header = try XCTUnwrap(JSONSerialization.jsonObject(with: golden.headerJSON) as? [String: Any])
            let modelName = try XCTUnwrap(header["model"] as? String, "\(name) names no model")
            let candidates = [dir.appendingPathComponent(modelName), assets.appendingPathComponent(modelName)]
            let modelURL = try XCTUnwrap(candidates.first { FileManager.default.fileExists(atPath: $0.path) },
                                         "\(name): model \(modelName) is neither in Fixtures nor in assets/models")
            try compare(fixture: String(name.dropLast(4)), model: nil, modelPath: modelURL.path)
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
        let detector = try RNNPoolDetector(model: model, ramCapBytes: 256 * 1024)
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
            XCTAssertLessThanOrEqual(err, 1e-4, "\(fixture) \(t.name): max relative error \(err)")
        }

        let boxes = try XCTUnwrap(golden.tensor("boxes"))
        let n = boxes.shape[0]
        XCTAssertGreaterThan(n, 0, "fixture should contain boxes")
        XCTAssertEqual(result.faces.count, n, "\(fixture): number of boxes after NMS")
        for (i, f) in result.faces.prefix(n).enumerated() {
            let e = Array(boxes.floats[(i * 5)..<(i * 5 + 5)])
            let got = [f.x, f.y, f.w, f.h, f.score]
            for k in 0..<5 {
                XCTAssertEqual(got[k], e[k], accuracy: 1e-3 * max(1, abs(e[k])), "\(fixture) box \(i) field \(k)")
            }
        }
    }

    /// Σ |w·f| + |b| for every output of a head's conv, from the engine's own block
    /// output (L2-normalised as the head does).
    func headTermMagnitudes(_ name: String, model: RNNPoolModel, container: RPMContainer,
                            recorder: LayerRecorder) throws -> [Float] {
        let parts = name.split(separator: ".")          // heads, k, loc|conf
        let k = Int(parts[1])!, kind = String(parts[2])
        let head = model.architecture.heads[k]
        let x = try XCTUnwrap(recorder.maps["blocks.\(head.block)"])
        let (c, h, w) = try XCTUnwrap(recorder.shapes["blocks.\(head.block)"])
        var f = x
        if head.l2norm {
            let g = try XCTUnwrap(container.tensor("heads.\(k).l2norm.weight")).floats
            for p in 0..<(h * w) {
                var s: Float = 0
                for ci in 0..<c { s += x[ci * h * w + p] * x[ci * h * w + p] }
                let inv = 1 / (s.squareRoot() + 1e-10)
                for ci in 0..<c { f[ci * h * w + p] = x[ci * h * w + p] * inv * g[ci] }
            }
        }
        let wt = try XCTUnwrap(container.tensor("heads.\(k).\(kind).weight"))
        let b = try XCTUnwrap(container.tensor("heads.\(k).\(kind).bias")).floats
        let o = wt.shape[0]
        var out = [Float](repeating: 0, count: o * h * w)
        for oc in 0..<o {
            for y in 0..<h {
                for xx in 0..<w {
                    var s = abs(b[oc])
                    for ci in 0..<c {
                        for ky in 0..<3 {
                            let iy = y - 1 + ky
                            if iy < 0 || iy >= h { continue }
                            for kx in 0..<3 {
                                let ix = xx - 1 + kx
                                if ix < 0 || ix >= w { continue }
                                s += abs(wt.floats[((oc * c + ci) * 3 + ky) * 3 + kx] * f[(ci * h + iy) * w + ix])
                            }
                        }
                    }
                    out[(oc * h + y) * w + xx] = s
                }
            }
        }
        return out
    }
}
