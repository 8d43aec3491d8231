import Foundation
import XCTest
@testable import RNNPoolEngine

/// Paths of the golden fixtures exported from PyTorch (scripts/train/export.py).
enum Fixtures {
    static func path(_ name: String) throws -> String {
        let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "rpm", subdirectory: "Fixtures"),
                                "fixture \(name).rpm missing from the test bundle")
        return url.path
    }
}

/// Every `*-golden-*.rpm` in Fixtures with the model its header names, found in Fixtures
/// or in assets/models: (fixture path, model path).
func goldenFixturesWithModels() throws -> [(String, String)] {
    let dir = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        .filter { $0.contains("-golden-") && $0.hasSuffix(".rpm") }.sorted()
    let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../assets/models").standardizedFileURL
    return try names.map { name in
        let golden = try RPMContainer.read(path: dir.appendingPathComponent(name).path)
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: golden.headerJSON) as? [String: Any])
        let modelName = try XCTUnwrap(header["model"] as? String, "\(name) names no model")
        let candidates = [dir.appendingPathComponent(modelName), assets.appendingPathComponent(modelName)]
        let model = try XCTUnwrap(candidates.first { FileManager.default.fileExists(atPath: $0.path) },
                                  "\(name): model \(modelName) is neither in Fixtures nor in assets/models")
        return (dir.appendingPathComponent(name).path, model.path)
    }
}

/// Every layer output of one detector run, assembled from the tap into PyTorch's
/// [C, H, W] order so that it can be compared with fixture tensors.
final class LayerRecorder {
    var maps: [String: [Float]] = [:]
    var shapes: [String: (c: Int, h: Int, w: Int)] = [:]
    private let heights: [String: Int]

    init(heights: [String: Int]) { self.heights = heights }

    var tap: LayerTap {
        { [self] name, y, width, channels, stride, data in
            guard let h = heights[name] else { return }
            if maps[name] == nil {
                maps[name] = [Float](repeating: .nan, count: channels * h * width)
                shapes[name] = (channels, h, width)
            }
            maps[name]!.withUnsafeMutableBufferPointer { m in
                for x in 0..<width {
                    for c in 0..<channels { m[(c * h + y) * width + x] = data[x * stride + c] }
                }
            }
        }
    }
}

/// Largest |a − b| / (|b| + floor): relative error, with `floor` keeping values near
/// zero from dominating (they are compared absolutely at the floor's scale).
func maxRelativeError(_ a: [Float], _ b: [Float], floor: Float) -> Float {
    maxRelativeError(a, b, floors: [Float](repeating: floor, count: b.count))
}

/// The same with a floor per value.
func maxRelativeError(_ a: [Float], _ b: [Float], floors: [Float]) -> Float {
    precondition(a.count == b.count && floors.count == b.count)
    var worst: Float = 0
    for i in a.indices {
        let e = abs(a[i] - b[i]) / (abs(b[i]) + floors[i])
        if !(e <= worst) { worst = e.isNaN ? .infinity : e }
    }
    return worst
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

/// The detector's boxes against a fixture's `boxes` tensor ([N, 5]: x, y, w, h, score,
/// best first): the same number, in the same order, each field within `tolerance(k, e)`
/// of the expected value e (k = 0…3 position and size, 4 score).
func assertBoxesMatch(_ faces: [FaceBox], _ golden: RPMContainer, fixture: String,
                      tolerance: (Int, Float) -> Float,
                      file: StaticString = #filePath, line: UInt = #line) throws {
    let boxes = try XCTUnwrap(golden.tensor("boxes"), file: file, line: line)
    let n = boxes.shape[0]
    XCTAssertGreaterThan(n, 0, "fixture should contain boxes", file: file, line: line)
    XCTAssertEqual(faces.count, n, "\(fixture): number of boxes after NMS", file: file, line: line)
    for (i, f) in faces.prefix(n).enumerated() {
        let e = Array(boxes.floats[(i * 5)..<(i * 5 + 5)])
        let got = [f.x, f.y, f.w, f.h, f.score]
        for k in 0..<5 {
            XCTAssertEqual(got[k], e[k], accuracy: tolerance(k, e[k]), "\(fixture) box \(i) field \(k)",
                           file: file, line: line)
        }
    }
}
