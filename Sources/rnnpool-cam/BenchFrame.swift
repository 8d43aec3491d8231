import Foundation
import FrameIO

/// The frame `bench` times: a deterministic synthetic scene, or a picture or clip from disk.
struct BenchFrame {
    var width: Int
    var height: Int
    var pixels: [UInt8]

    /// A lit gradient with a few bright ellipses and texture: structured enough to
    /// exercise every layer, identical on every run.
    static func synthetic(width: Int, height: Int) -> BenchFrame {
        var p = [UInt8](repeating: 0, count: width * height)
        let blobs: [(Double, Double, Double, Double)] = [(0.3, 0.4, 0.10, 0.14), (0.7, 0.45, 0.07, 0.10), (0.5, 0.75, 0.04, 0.06)]
        var seed: UInt32 = 12345
        for y in 0..<height {
            for x in 0..<width {
                let u = Double(x) / Double(width), v = Double(y) / Double(height)
                var g = 60 + 80 * u + 40 * v
                for (cx, cy, rx, ry) in blobs {
                    let d = ((u - cx) / rx) * ((u - cx) / rx) + ((v - cy) / ry) * ((v - cy) / ry)
                    if d < 1 { g = 170 + 60 * (1 - d) }
                }
                seed = seed &* 1_664_525 &+ 1_013_904_223
                g += Double(seed >> 28) - 8
                p[y * width + x] = UInt8(max(0, min(255, g)))
            }
        }
        return BenchFrame(width: width, height: height, pixels: p)
    }

    /// The luma of a picture or of a clip's first frame (StillImage).
    static func read(_ path: String) throws -> BenchFrame {
        let frame = try StillImage.read(path: path)
        return BenchFrame(width: frame.width, height: frame.height, pixels: frame.luma)
    }
}
