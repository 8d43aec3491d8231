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
