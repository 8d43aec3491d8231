import Foundation

/// The frame `bench` times: a deterministic synthetic scene, or a PGM from disk.
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

    /// Binary 8-bit PGM (P5), comments allowed.
    static func readPGM(_ path: String) throws -> BenchFrame {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BenchInputError(message: "\(path): cannot read image")
        }
        let bytes = [UInt8](data)
        var i = 0
        func token() -> String? {
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "#") { while i < bytes.count && bytes[i] != 10 { i += 1 } }
                else if bytes[i] == 32 || (9...13).contains(bytes[i]) { i += 1 }
                else { break }
            }
            let s = i
            while i < bytes.count && !(bytes[i] == 32 || (9...13).contains(bytes[i])) { i += 1 }
            return s < i ? String(decoding: bytes[s..<i], as: UTF8.self) : nil
        }
        guard token() == "P5", let w = token().flatMap(Int.init), let h = token().flatMap(Int.init),
              let mx = token().flatMap(Int.init), w > 0, h > 0, mx == 255, i < bytes.count, bytes.count - (i + 1) >= w * h else {
            throw BenchInputError(message: "\(path): not an 8-bit binary PGM (P5, maxval 255) of the size it declares")
        }
        return BenchFrame(width: w, height: h, pixels: Array(bytes[(i + 1)..<(i + 1 + w * h)]))
    }
}
