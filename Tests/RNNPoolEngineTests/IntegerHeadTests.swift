import XCTest
@testable import RNNPoolEngine

/// The int8 path's heads (NETWORK.md §7): int16 weights (QuantizedHead) times the stored
/// int8 inputs as exact integer sums. Every path (the AVX2 C kernel where the CPU has it,
/// the portable loop; the Cortex-M4's in CortexM4FirmwareTests) must give the bits of the
/// definition (output counts 8, 16, 24 and 40 take every block shape of the C kernel): a
/// wrong pair order, a dropped odd channel, a border tap or an absent row read as data
/// would move outputs, and with them scores and boxes.
final class IntegerHeadTests: XCTestCase {
    struct Case { let channels: Int, loc: Int, conf: Int, l2norm: Bool, width: Int }

    func testEveryPathComputesTheDefinitionsBits() {
        let cases = [Case(channels: 32, loc: 12, conf: 12, l2norm: true, width: 11),
                     Case(channels: 5, loc: 4, conf: 2, l2norm: false, width: 9),
                     Case(channels: 64, loc: 8, conf: 4, l2norm: false, width: 20),
                     Case(channels: 7, loc: 4, conf: 2, l2norm: true, width: 3),
                     Case(channels: 48, loc: 24, conf: 14, l2norm: false, width: 17),
                     Case(channels: 33, loc: 24, conf: 14, l2norm: true, width: 8)]
        var rng = SystemRandomNumberGenerator()
        for t in cases {
            let shape = Architecture.HeadShape(channels: t.channels, locCount: t.loc, confCount: t.conf, l2norm: t.l2norm)
            let c = t.channels, op = shape.outPadded, cs = shape.inStride, width = t.width
            var w = (0..<(9 * c * op)).map { _ in Float.random(in: -0.3...0.3, using: &rng) }
            for i in w.indices where (i % op) >= t.loc + t.conf { w[i] = 0 }   // padding outputs
            let bias = (0..<op).map { _ in Float.random(in: -1...1, using: &rng) }
            let inputScale: Float = 0.037
            let q = QuantizedHead(weights: w, channels: c, outPadded: op, l2norm: t.l2norm, inputScale: inputScale)
            let kernel = HeadRowKernel(NetworkWeights.Head(shape: shape, weight: w, bias: bias), inputScale: inputScale)
            XCTAssertEqual(kernel.integerWeight.map { Array(UnsafeBufferPointer(start: $0.p, count: $0.count)) }, q.weights)

            // Three int8 rows; padding bytes past the channels hold junk, which must not count.
            let rows = (0..<3).map { _ in (0..<(width * cs)).map { _ in Int8.random(in: -127...127, using: &rng) } }
            let norms = rows.map { r -> [Float] in
                var n = [Float](repeating: 0, count: width)
                r.withUnsafeBufferPointer { kernel.inverseNorms(row: $0.baseAddress!, width: width,
                                                               grid: ActivationScale(inputScale), into: &n) }
                return n
            }
            for present in [(true, true, true), (false, true, true), (true, true, false)] {
                let expected = definition(q: q, bias: bias, rows: rows, norms: norms, present: present, t: t, op: op, cs: cs)
                // The portable loop always; the AVX2 kernel where this CPU runs it.
                var paths = [(kernel.portableLoop(), "portable")]
                #if RNNPOOL_HOST_X86_64
                if kernel.integerKernel { paths.append((kernel, "C kernel")) }
                #endif
                for (path, name) in paths {
                    let got = run(path, rows: rows, norms: norms, present: present, width: width)
                    for i in expected.indices where i % op < t.loc + t.conf {
                        XCTAssertEqual(got[i].bitPattern, expected[i].bitPattern,
                                       "channels \(c) l2norm \(t.l2norm) rows \(present) \(name): pixel \(i / op) output \(i % op): \(got[i]) vs \(expected[i])")
                    }
                }
            }
        }
    }

    /// NETWORK.md §7 written out: integer sums in Int64, the float steps in their order.
    private func definition(q: QuantizedHead, bias: [Float], rows: [[Int8]], norms: [[Float]],
                            present: (Bool, Bool, Bool), t: Case, op: Int, cs: Int) -> [Float] {
        let pairs = (t.channels + 1) / 2, has = [present.0, present.1, present.2]
        var out = [Float](repeating: 0, count: t.width * op)
        for x in 0..<t.width {
            for o in 0..<op {
                var total: Int64 = 0, folded: Float = 0
                for ky in 0..<3 where has[ky] {
                    for kx in 0..<3 {
                        let ix = x - 1 + kx
                        guard ix >= 0 && ix < t.width else { continue }
                        var s: Int64 = 0
                        for ch in 0..<t.channels {
                            let wq = q.weights[(((ky * 3 + kx) * pairs + ch / 2) * op + o) * 2 + ch % 2]
                            s += Int64(wq) * Int64(rows[ky][ix * cs + ch])
                        }
                        XCTAssertLessThan(abs(s), Int64(Int32.max))
                        if t.l2norm { folded = folded.addingProduct(Float(s), norms[ky][ix]) } else { total += s }
                    }
                }
                let v = t.l2norm ? folded : Float(total)
                let scaled = v * q.scale[o]
                out[x * op + o] = scaled + bias[o]
            }
        }
        return out
    }

    private func run(_ kernel: HeadRowKernel, rows: [[Int8]], norms: [[Float]], present: (Bool, Bool, Bool),
                     width: Int) -> [Float] {
        let op = kernel.outPadded
        var out = [Float](repeating: .nan, count: width * op)
        let staging = UnsafeMutablePointer<Float>.allocate(capacity: kernel.stagingFloats)
        defer { staging.deallocate() }
        staging.initialize(repeating: .nan, count: kernel.stagingFloats)
        let r = rows.map { a -> UnsafeMutablePointer<Int8> in
            let p = UnsafeMutablePointer<Int8>.allocate(capacity: a.count)
            p.initialize(from: a, count: a.count)
            return p
        }
        let n = norms.map { a -> UnsafeMutablePointer<Float> in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: a.count)
            p.initialize(from: a, count: a.count)
            return p
        }
        defer { r.forEach { $0.deallocate() }; n.forEach { $0.deallocate() } }
        let has = [present.0, present.1, present.2]
        let three = ThreeRows<Int8>(has[0] ? UnsafePointer(r[0]) : nil, has[1] ? UnsafePointer(r[1]) : nil,
                                    has[2] ? UnsafePointer(r[2]) : nil)
        let threeNorms = ThreeRows<Float>(has[0] ? UnsafePointer(n[0]) : nil, has[1] ? UnsafePointer(n[1]) : nil,
                                          has[2] ? UnsafePointer(n[2]) : nil)
        out.withUnsafeMutableBufferPointer { o in
            var x = 0
            while x < width {
                kernel.runPass(x: x, width: width, rows: three, norms: threeNorms, scale: 1, out: o.baseAddress! + x * op,
                               staging: staging)
                x += HeadRowKernel.pixels
            }
        }
        return out
    }

    /// The grid keeps every sum inside int32 whatever the input: a head whose weights are
    /// all at their largest gets a wider grid; an ordinary one keeps 16 bits for its
    /// largest weight.
    func testWeightGridKeepsEverySumInsideInt32() {
        let c = 64, op = 8
        let flat = [Float](repeating: 0.5, count: 9 * c * op)
        let wide = QuantizedHead(weights: flat, channels: c, outPadded: op, l2norm: false, inputScale: 1)
        let pairs = c / 2
        for o in 0..<op {
            var sum: Int64 = 0, largest: Int16 = 0
            for t in 0..<9 { for ch in 0..<c {
                let v = wide.weights[((t * pairs + ch / 2) * op + o) * 2 + ch % 2]
                sum += Int64(abs(Int32(v)))
                largest = max(largest, abs(v))
            } }
            XCTAssertLessThanOrEqual(sum * 127, Int64(Int32.max), "output \(o)")
            XCTAssertLessThan(largest, 32767)
        }
        var varied = flat
        for i in varied.indices { varied[i] = Float((i * 37) % 101 - 50) / 400 }
        let fine = QuantizedHead(weights: varied, channels: c, outPadded: op, l2norm: true, inputScale: 0.5)
        XCTAssertEqual(fine.weights.map { abs(Int32($0)) }.max(), 32767, "the largest weight spans the int16 range")
        XCTAssertEqual(fine.scale[0], 50 / 400 / 32767, accuracy: 1e-12, "with L2Norm the input grid is in the factors")
    }
}
