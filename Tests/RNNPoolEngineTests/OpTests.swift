import Foundation
import XCTest
import CKernels
@testable import RNNPoolEngine

/// Each op against values computed by hand (or by the obvious formula in Double).
final class OpTests: XCTestCase {
    /// RNN2's transpose (the host's, CKernels.h): the 8 × 8 floats laid out as patch
    /// halves come back with row t holding element t of every row, and nothing else in
    /// the buffer is touched.
    func testTransposeOfPatchHalvesMakesRowTTheTthElements() {
        let h2 = 3, pairStride = h2 * 16
        var buffer = (0..<(4 * pairStride)).map { Float($0) }
        let before = buffer
        func row(_ r: Int) -> Int { (r / 2) * pairStride + (r % 2) * 8 + 16 }   // unit 1
        buffer.withUnsafeMutableBufferPointer { rc_transpose8_pairs($0.baseAddress! + 16, pairStride) }
        var moved = Set<Int>()
        for r in 0..<8 {
            for c in 0..<8 {
                XCTAssertEqual(buffer[row(r) + c], before[row(c) + r], "row \(r), element \(c)")
                moved.insert(row(r) + c)
            }
        }
        for i in buffer.indices where !moved.contains(i) { XCTAssertEqual(buffer[i], before[i], "index \(i)") }
    }

    func grnn(input: Int, hidden: Int, W: [Float], U: [Float], bz: [Float], bh: [Float],
              zeta: Float, nu: Float) -> FastGRNNLanes {
        FastGRNNLanes(NetworkWeights.FastGRNN(input: input, hidden: hidden, W: W, U: U, biasZ: bz, biasH: bh,
                                              sigmaZeta: sigmoid64(zeta), sigmaNu: sigmoid64(nu)))
    }

    /// One hidden unit, one input, two steps, worked through by hand.
    func testFastGRNNTwoStepsByHand() {
        let cell = grnn(input: 1, hidden: 1, W: [0.5], U: [2], bz: [0], bh: [0], zeta: 0, nu: 0)
        // σ(ζ) = σ(ν) = 0.5. Step 1, x = 1, h = 0: a = 0.5, z = σ(0.5), h~ = tanh(0.5),
        // h1 = (0.5(1 − z) + 0.5) h~. Step 2, x = 0: a = 2·h1, same update plus z·h1.
        func sig(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        let z1 = sig(0.5), h1 = (0.5 * (1 - z1) + 0.5) * Foundation.tanh(0.5)
        let a2 = 2 * h1, z2 = sig(a2), h2 = (0.5 * (1 - z2) + 0.5) * Foundation.tanh(a2) + z2 * h1

        let buf = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: 4)
        defer { buf.deallocate() }
        let x = buf, a = buf + 1, h = buf + 2, tmp = buf + 3
        x[0] = SIMD16((0..<16).map { $0 == 3 ? 0 : 1 })       // lane 3 sees x = 0 throughout
        cell.inputProjection(x, into: a)
        cell.step(a, h: h, scratch: tmp, first: true)
        XCTAssertEqual(Double(h[0][0]), h1, accuracy: 1e-6)
        XCTAssertEqual(h[0][3], (0.5 * (1 - 0.5) + 0.5) * 0, accuracy: 1e-7, "x = 0, h = 0 → tanh(0) = 0")
        x[0] = SIMD16(repeating: 0)
        cell.inputProjection(x, into: a)
        cell.step(a, h: h, scratch: tmp, first: false)
        XCTAssertEqual(Double(h[0][0]), h2, accuracy: 1e-6)
        XCTAssertEqual(h[0][7], h[0][0], "lanes are independent and identical for identical inputs")
    }

    /// The gate arithmetic stays finite and accurate from deep saturation to zero, for
    /// biases of either sign: |b| = 10 takes the clamped gates, small biases the bounded
    /// ones (one clamp of a).
    func testFastGRNNSaturatesWithoutNaN() {
        let pre: [Float] = [-200, -90, -50, -12, -1, -1e-3, 0, 1e-3, 0.7, 12, 50, 90, 200, -3, 3, 8]
        for (bz, bh) in [(Float(10), Float(-10)), (-10, 10), (0, 0), (1, 1)] {
            let cell = grnn(input: 1, hidden: 1, W: [1], U: [0.5], bz: [bz], bh: [bh], zeta: 0.3, nu: -2)
            XCTAssertEqual(cell.saturation == nil, abs(bz) == 10, "b_z = \(bz), b_h = \(bh): which gate maths")
            let buf = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: 3)
            defer { buf.deallocate() }
            let h0 = SIMD16<Float>((0..<16).map { Float($0 % 5) - 2 })
            buf[0] = SIMD16(pre)
            buf[1] = h0
            cell.step(buf, h: buf + 1, scratch: buf + 2, first: false)
            for l in 0..<16 {
                let a = Double(pre[l]) + 0.5 * Double(h0[l])
                let z = 1 / (1 + Foundation.exp(-(a + Double(bz)))), t = Foundation.tanh(a + Double(bh))
                let sz = 1 / (1 + Foundation.exp(-0.3)), sn = 1 / (1 + Foundation.exp(2.0))
                let expected = (sz * (1 - z) + sn) * t + z * Double(h0[l])
                XCTAssertFalse(buf[1][l].isNaN, "a = \(a), b_z = \(bz), b_h = \(bh)")
                XCTAssertEqual(Double(buf[1][l]), expected, accuracy: 1e-6, "a = \(a), b_z = \(bz), b_h = \(bh)")
            }
        }
    }

    /// The gate clamp is skipped only where a bound proves it idle: the shipped model's
    /// two RNNs get the proof (so the engine runs `UnclampedGates`), a cell whose inputs
    /// can push |a| past the saturation bound does not, and where the proof holds the
    /// unclamped gates give the bounded gates' results bit for bit.
    func testGateClampIsSkippedOnlyWhereProvablyIdle() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let model = try RNNPoolModel.load(path: root.appendingPathComponent("assets/models/rnnpool-face.rpm").path)
        let r1 = FastGRNNLanes(model.weights.rnn1), r2 = FastGRNNLanes(model.weights.rnn2)
        XCTAssertTrue(r1.clampIsIdle(inputBound: 6, steps: 8), "stem outputs are ReLU6")
        XCTAssertTrue(r2.clampIsIdle(inputBound: r1.stateBound(steps: 8) + 0.05, steps: 8))

        // σ(ζ) = σ(ν) = 0.5: |h| ≤ 1 after one step, then grows by σ(ν) a step.
        let cell = grnn(input: 1, hidden: 1, W: [4], U: [0.5], bz: [0], bh: [0], zeta: 0, nu: 0)
        XCTAssertEqual(cell.stateBound(steps: 1), 1, accuracy: 1e-6)
        XCTAssertEqual(cell.stateBound(steps: 3), 2, accuracy: 1e-6)
        // saturation = 17 here: |a| ≤ 4·6 + 0.5·H fails the proof, 4·1 + 0.5·H passes.
        XCTAssertEqual(cell.saturation ?? 0, 17, accuracy: 1e-6)
        XCTAssertFalse(cell.clampIsIdle(inputBound: 6, steps: 8))
        XCTAssertTrue(cell.clampIsIdle(inputBound: 1, steps: 8))
        XCTAssertFalse(cell.clampIsIdle(inputBound: .infinity, steps: 8))

        var rng = SystemRandomNumberGenerator()
        var worstCompact: Float = 0
        for _ in 0..<200 {
            let a = SIMD16<Float>((0..<16).map { _ in Float.random(in: -17...17, using: &rng) })
            let h = SIMD16<Float>((0..<16).map { _ in Float.random(in: -2...2, using: &rng) })
            let bounded = BoundedGates<PreciseGates>(cell: cell, bound: 17).update(a, 0, h)
            let unclamped = UnclampedGates<PreciseGates>(cell: cell).update(a, 0, h)
            XCTAssertEqual(unsafeBitCast(bounded, to: SIMD16<UInt32>.self), unsafeBitCast(unclamped, to: SIMD16<UInt32>.self))
            // The int8 path's compact gates: close to the precise ones (below).
            let compact = UnclampedGates<CompactGates>(cell: cell).update(a, 0, h)
            for l in 0..<16 { worstCompact = max(worstCompact, abs(compact[l] - unclamped[l]) / max(1, abs(unclamped[l]))) }
        }
        // Likewise with biases, which the compact form folds into its exp's argument and
        // slopes (e^{b_h−b_z}): the shipped model's are within ±1.7.
        let biased = grnn(input: 1, hidden: 2, W: [1, -1], U: [0.5, 0.1, -0.2, 0.3], bz: [1.6, -1.2], bh: [-1.7, 0.9],
                          zeta: 1.5, nu: -2)
        let bound = try XCTUnwrap(biased.saturation)
        for _ in 0..<200 {
            let a = SIMD16<Float>((0..<16).map { _ in Float.random(in: -bound...bound, using: &rng) })
            let h = SIMD16<Float>((0..<16).map { _ in Float.random(in: -1.5...1.5, using: &rng) })
            for j in 0..<2 {
                let precise = UnclampedGates<PreciseGates>(cell: biased).update(a, j, h)
                let compact = UnclampedGates<CompactGates>(cell: biased).update(a, j, h)
                for l in 0..<16 { worstCompact = max(worstCompact, abs(compact[l] - precise[l]) / max(1, abs(precise[l]))) }
            }
        }
        // Their power of two is within 2.9e-6 relative (ActivationTests), which moves h' by
        // about as much (measured: 3.1e-6 at worst, relative to max(1, |h'|)).
        XCTAssertLessThan(worstCompact, 5e-6, "the compact gates against the precise ones")
    }

    /// RNNPool over a constant patch: every row and column sequence is the same, so the
    /// four RNN2 sweeps (and all 39 patches) agree, and equal a scalar re-computation.
    func testRNNPoolRowOfConstantPatches() {
        constantPatchRow(RNNSpec(W: [0.1, -0.2, 0.3, 0.4, 0.5, -0.6], U: [0.1, 0, 0, 0, 0.2, 0, 0, 0, -0.1],
                                 bz: [0.1, 0.2, 0.3], bh: [-0.1, 0, 0.1], zeta: 1, nu: -4),
                         RNNSpec(W: [0.2, 0.1, -0.3, 0.5, -0.4, 0.2], U: [0.3, -0.1, 0.2, 0.1],
                                 bz: [0, 0.5], bh: [0.2, -0.2], zeta: 0.5, nu: -3))
    }

    /// One hidden unit each: the kernel's lane tables no longer fit in its projection
    /// vectors and get their own scratch, which must not overlap anything live.
    func testRNNPoolRowOfConstantPatchesWithTinyRNNs() {
        let kernel = RNNPoolRowKernel(rnn1: grnn(input: 2, hidden: 1, W: [0.3, -0.5], U: [0.4], bz: [0.2], bh: [0.1], zeta: 1, nu: -4),
                                      rnn2: grnn(input: 1, hidden: 1, W: [0.7], U: [-0.3], bz: [0.1], bh: [-0.2], zeta: 0.5, nu: -3),
                                      channels: 2, stride: 4, patchesX: 39, paddedWidth: 40)
        XCTAssertFalse(kernel.laneTablesFitInProjections)
        constantPatchRow(RNNSpec(W: [0.3, -0.5], U: [0.4], bz: [0.2], bh: [0.1], zeta: 1, nu: -4),
                         RNNSpec(W: [0.7], U: [-0.3], bz: [0.1], bh: [-0.2], zeta: 0.5, nu: -3))
    }

    struct RNNSpec {
        var W: [Float], U: [Float], bz: [Float], bh: [Float], zeta: Float, nu: Float
        var hidden: Int { bz.count }
    }

    func constantPatchRow(_ s1: RNNSpec, _ s2: RNNSpec, file: StaticString = #filePath, line: UInt = #line) {
        let c0 = 2, h1 = s1.hidden, h2 = s2.hidden
        let r1 = grnn(input: c0, hidden: h1, W: s1.W, U: s1.U, bz: s1.bz, bh: s1.bh, zeta: s1.zeta, nu: s1.nu)
        let r2 = grnn(input: h1, hidden: h2, W: s2.W, U: s2.U, bz: s2.bz, bh: s2.bh, zeta: s2.zeta, nu: s2.nu)
        let kernel = RNNPoolRowKernel(rnn1: r1, rnn2: r2, channels: c0, stride: 4, patchesX: 39, paddedWidth: 40)
        let width = 160
        let row = UnsafeMutablePointer<Float>.allocate(capacity: width * c0)
        for x in 0..<width { row[x * c0] = 0.7; row[x * c0 + 1] = -0.3 }
        let rows = UnsafeMutablePointer<UnsafeRawPointer>.allocate(capacity: 8)
        for k in 0..<8 { rows[k] = UnsafeRawPointer(row) }
        let out = UnsafeMutablePointer<Float>.allocate(capacity: 40 * 4 * h2)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: kernel.scratchFloats)
        let carry = UnsafeMutablePointer<Float>.allocate(capacity: kernel.carryFloats)
        defer { row.deallocate(); rows.deallocate(); out.deallocate(); scratch.deallocate(); carry.deallocate() }
        kernel.run(py: 0, rows: rows, input: Float.self, stemWidth: width, out: out, scratch: scratch, carry: carry,
                   grids: .identity)
        // The next patch row takes its top 4 row summaries from the carry; with constant
        // input it must produce the same values again.
        let first = Array(UnsafeBufferPointer(start: out, count: 40 * 4 * h2))
        out.update(repeating: .nan, count: 40 * 4 * h2)
        kernel.run(py: 1, rows: rows, input: Float.self, stemWidth: width, out: out, scratch: scratch, carry: carry,
                   grids: .identity)
        XCTAssertEqual(Array(UnsafeBufferPointer(start: out, count: 40 * 4 * h2)), first)

        func scalarGRNN(_ W: [Double], _ U: [Double], _ bz: [Double], _ bh: [Double], _ z: Double, _ n: Double,
                        _ xs: [[Double]]) -> [Double] {
            let hid = bz.count, inp = xs[0].count
            let sz = 1 / (1 + Foundation.exp(-z)), sn = 1 / (1 + Foundation.exp(-n))
            var h = [Double](repeating: 0, count: hid)
            for x in xs {
                var nh = h
                for j in 0..<hid {
                    var a = 0.0
                    for i in 0..<inp { a += W[j * inp + i] * x[i] }
                    for k in 0..<hid { a += U[j * hid + k] * h[k] }
                    let zz = 1 / (1 + Foundation.exp(-(a + bz[j])))
                    nh[j] = (sz * (1 - zz) + sn) * Foundation.tanh(a + bh[j]) + zz * h[j]
                }
                h = nh
            }
            return h
        }
        func d(_ v: [Float]) -> [Double] { v.map(Double.init) }
        let s = scalarGRNN(d(s1.W), d(s1.U), d(s1.bz), d(s1.bh), Double(s1.zeta), Double(s1.nu),
                           Array(repeating: [0.7, -0.3], count: 8))
        let o = scalarGRNN(d(s2.W), d(s2.U), d(s2.bz), d(s2.bh), Double(s2.zeta), Double(s2.nu),
                           Array(repeating: s.map { Double(Float($0)) }, count: 8))
        for px in 0..<40 {
            for q in 0..<4 {
                for j in 0..<h2 {
                    XCTAssertEqual(Double(out[px * 4 * h2 + q * h2 + j]), o[j], accuracy: 2e-6, "patch \(px) sweep \(q) unit \(j)",
                                   file: file, line: line)
                }
            }
        }
    }

    /// Stem on a 4×4 image: output (0, 0) sees only the 2×2 top-left pixels (zero padding
    /// on the normalised input), ReLU6 caps the result.
    func testStemConvolutionByHand() throws {
        var header = RPMWriter.tinyHeader()
        header["input"] = ["width": 16, "height": 16, "scale": 0.5, "offset": -1.0]
        let arch = try JSONDecoder().decode(Architecture.self, from: JSONSerialization.data(withJSONObject: header))
        let w: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let stem = StemKernel(NetworkWeights.Stem(channels: 1, weight: w, bias: [0.25]), arch: arch)
        var img = [UInt8](repeating: 0, count: 256)
        img[0] = 4; img[1] = 2; img[16] = 6; img[17] = 0   // normalised: 1, 0, 2, -1
        let out = UnsafeMutablePointer<Float>.allocate(capacity: 8)
        defer { out.deallocate() }
        img.withUnsafeBufferPointer { stem.run(row: 0, input: $0.baseAddress!, out: out) }
        // Taps (1,1),(1,2),(2,1),(2,2) = w 5,6,8,9 on pixels 1,0,2,-1: 5 + 0 + 16 − 9 = 12 → ReLU6.
        XCTAssertEqual(out[0], 6)
        // Output x = 1 covers columns 1..3 of rows 0..1: pixels (0,1)=0 (0,2)=-1 (0,3)=-1,
        // (1,1)=-1 (1,2)=-1 (1,3)=-1 with weights 4,5,6,7,8,9 → 0 − 5 − 6 − 7 − 8 − 9 = −35.
        XCTAssertEqual(out[1], 0)
    }

    /// The 4-channel stem computes 16 pixels per pass away from the edges: every output,
    /// edges and interior, int8 and float, must equal the per-pixel arithmetic (the
    /// normalised pixel, then one FMA per tap in (ky, kx) order) to the bit.
    func testFourChannelStemMatchesPerPixelArithmeticBitForBit() throws {
        var header = RPMWriter.tinyHeader()
        header["input"] = ["width": 70, "height": 9, "scale": 1.0 / 128, "offset": -1.0]
        let arch = try JSONDecoder().decode(Architecture.self, from: JSONSerialization.data(withJSONObject: header))
        let w = (0..<36).map { _ in Float.random(in: -1...1) }, b = (0..<4).map { _ in Float.random(in: -0.5...0.5) }
        let stem = StemKernel(NetworkWeights.Stem(channels: 4, weight: w, bias: b), arch: arch)
        let img = (0..<(70 * 9)).map { _ in UInt8.random(in: 0...255) }
        let outW = 35
        let f = UnsafeMutablePointer<Float>.allocate(capacity: outW * 4), q = UnsafeMutablePointer<Int8>.allocate(capacity: outW * 4)
        defer { f.deallocate(); q.deallocate() }
        let grid = ActivationScale(6.0 / 127)
        for y in 0..<5 {
            img.withUnsafeBufferPointer { p in
                stem.run(row: y, inputRow: { p.baseAddress! + $0 * 70 }, out: f, grid: .identity)
                stem.run(row: y, inputRow: { p.baseAddress! + $0 * 70 }, out: q, grid: grid)
            }
            for x in 0..<outW {
                for c in 0..<4 {
                    var acc = b[c]
                    for ky in 0..<3 {
                        let iy = 2 * y - 1 + ky
                        if iy < 0 || iy >= 9 { continue }
                        for kx in 0..<3 {
                            let ix = 2 * x - 1 + kx
                            if ix < 0 || ix >= 70 { continue }
                            let p = Float(img[iy * 70 + ix]) * (1.0 / 128) + -1.0
                            acc.addProduct(p, w[c * 9 + ky * 3 + kx])
                        }
                    }
                    let v = min(max(acc, 0), 6)
                    XCTAssertEqual(f[x * 4 + c].bitPattern, v.bitPattern, "float, row \(y) pixel \(x) channel \(c)")
                    XCTAssertEqual(q[x * 4 + c], Int8(storing: v, inverse: grid.inverse), "int8, row \(y) pixel \(x) channel \(c)")
                }
            }
        }
    }

    /// MBConv row kernel against a direct Double implementation of NETWORK.md §4.
    func testMBConvRowsMatchDirectFormula() {
        for (stride, cin, cout) in [(1, 8, 8), (2, 8, 16), (1, 5, 3)] {
            let t = 2, win = 7, hin = 5, mid = cin * t
            var rng = SystemRandomNumberGenerator()
            func r() -> Float { Float.random(in: -1...1, using: &rng) }
            let ew = (0..<(mid * cin)).map { _ in r() }, eb = (0..<mid).map { _ in r() }
            let dw = (0..<(mid * 9)).map { _ in r() }, db = (0..<mid).map { _ in r() }
            let pw = (0..<(cout * mid)).map { _ in r() }, pb = (0..<cout).map { _ in r() }
            let input = (0..<(hin * win * cin)).map { _ in r() }
            var arch = try! JSONDecoder().decode(Architecture.self, from: JSONSerialization.data(withJSONObject: RPMWriter.tinyHeader()))
            arch.stem.outChannels = 1
            arch.rnnpool.hidden2 = cin  // not used: block shape is set directly below
            let shape = Architecture.BlockShape(cin: cin, win: win, hin: hin, cmid: mid, cout: cout,
                                                wout: (win + stride - 1) / stride, hout: (hin + stride - 1) / stride, stride: stride)
            let weights = NetworkWeights.blockWeights(shape: shape, expandWeight: ew, expandBias: eb, dwWeight: dw,
                                                      dwBias: db, projectWeight: pw, projectBias: pb)
            let k = MBConvRowKernel(weights)
            let cs = roundUp8(cin)
            let inBuf = UnsafeMutablePointer<Float>.allocate(capacity: hin * win * cs)
            inBuf.initialize(repeating: 0, count: hin * win * cs)
            for y in 0..<hin { for x in 0..<win { for c in 0..<cin { inBuf[(y * win + x) * cs + c] = input[(y * win + x) * cin + c] } } }
            let out = UnsafeMutablePointer<Float>.allocate(capacity: shape.wout * k.outStride)
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: k.scratchFloats)
            defer { inBuf.deallocate(); out.deallocate(); scratch.deallocate() }

            func e(_ y: Int, _ x: Int, _ m: Int) -> Double {
                if y < 0 || y >= hin || x < 0 || x >= win { return 0 }
                var s = Double(eb[m])
                for c in 0..<cin { s += Double(ew[m * cin + c]) * Double(input[(y * win + x) * cin + c]) }
                return min(max(s, 0), 6)
            }
            for yo in 0..<shape.hout {
                k.run(row: yo, inputRow: { UnsafePointer(inBuf + $0 * win * cs) }, out: out, scratch: scratch,
                      inGrid: .identity, outGrid: .identity)
                for xo in 0..<shape.wout {
                    var d = [Double](repeating: 0, count: mid)
                    for m in 0..<mid {
                        var s = Double(db[m])
                        for ky in 0..<3 { for kx in 0..<3 { s += Double(dw[m * 9 + ky * 3 + kx]) * e(stride * yo - 1 + ky, stride * xo - 1 + kx, m) } }
                        d[m] = min(max(s, 0), 6)
                    }
                    for o in 0..<cout {
                        var s = Double(pb[o])
                        for m in 0..<mid { s += Double(pw[o * mid + m]) * d[m] }
                        if stride == 1 && cin == cout { s += Double(input[(yo * win + xo) * cin + o]) }
                        XCTAssertEqual(Double(out[xo * k.outStride + o]), s, accuracy: 1e-4 * max(1, abs(s)),
                                       "stride \(stride) cin \(cin) cout \(cout) at (\(yo), \(xo), \(o))")
                    }
                }
            }
        }
    }
}

/// Head kernel (L2Norm + loc/conf 3×3 convs) against NETWORK.md §5 computed directly.
final class HeadOpTests: XCTestCase {
    func testHeadRowMatchesDirectFormula() {
        for l2 in [true, false] {
            let c = 5, width = 7, height = 3, a = 2, k = 2
            let nl = 4 * a, nc = k * a
            var rng = SystemRandomNumberGenerator()
            func r() -> Float { Float.random(in: -1...1, using: &rng) }
            let input = (0..<(height * width * c)).map { _ in r() }
            let g = (0..<c).map { _ in r() * 10 }
            let wl = (0..<(nl * c * 9)).map { _ in r() }, bl = (0..<nl).map { _ in r() }
            let wc = (0..<(nc * c * 9)).map { _ in r() }, bc = (0..<nc).map { _ in r() }
            let arch = Architecture(kind: "model", name: nil,
                                    input: .init(width: 16, height: 16, scale: 1, offset: 0), stem: .init(outChannels: 1),
                                    rnnpool: .init(patch: 8, stride: 4, hidden1: 1, hidden2: 1, padTo: [2, 2]),
                                    blocks: [.init(expand: 1, outChannels: c, stride: 1)],
                                    heads: [.init(block: 0, l2norm: l2, step: 8, sizes: [10, 20], background: 1)],
                                    postprocess: .init(variances: [0.1, 0.2], nmsIoU: 0.3, scoreThreshold: 0.5, topK: 10, maxDetections: 5))
            let weights = NetworkWeights(arch: arch) { name in
                switch name {
                case "heads.0.l2norm.weight": return g
                case "heads.0.loc.weight": return wl
                case "heads.0.loc.bias": return bl
                case "heads.0.conf.weight": return wc
                case "heads.0.conf.bias": return bc
                default: return [Float](repeating: 0.5, count: 4096)
                }
            }
            let kernel = HeadRowKernel(weights.heads[0])
            let cs = kernel.inStride
            let buf = UnsafeMutablePointer<Float>.allocate(capacity: height * width * cs)
            let norms = UnsafeMutablePointer<Float>.allocate(capacity: height * width)
            let out = UnsafeMutablePointer<Float>.allocate(capacity: width * kernel.outPadded)
            defer { buf.deallocate(); norms.deallocate(); out.deallocate() }
            buf.initialize(repeating: 0, count: height * width * cs)
            for p in 0..<(height * width) { for ch in 0..<c { buf[p * cs + ch] = input[p * c + ch] } }
            for y in 0..<height { kernel.inverseNorms(row: buf + y * width * cs, width: width, grid: .identity,
                                                          into: norms + y * width) }

            func f(_ y: Int, _ x: Int, _ ch: Int) -> Double {
                guard y >= 0, y < height, x >= 0, x < width else { return 0 }
                let v = Double(input[(y * width + x) * c + ch])
                guard l2 else { return v }
                var s = 0.0
                for cc in 0..<c { s += Double(input[(y * width + x) * c + cc]) * Double(input[(y * width + x) * c + cc]) }
                return v / (s.squareRoot() + 1e-10) * Double(g[ch])
            }
            let y = 1
            let rows: [UnsafePointer<Float>?] = (0..<3).map { UnsafePointer(buf + (y - 1 + $0) * width * cs) }
            let ns: [UnsafePointer<Float>?] = (0..<3).map { UnsafePointer(norms + (y - 1 + $0) * width) }
            let staging = UnsafeMutablePointer<Float>.allocate(capacity: kernel.stagingFloats)
            defer { staging.deallocate() }
            staging.initialize(repeating: .nan, count: kernel.stagingFloats)   // nothing may be read before it is staged
            kernel.run(width: width, rows: ThreeRows(rows[0], rows[1], rows[2]), norms: ThreeRows(ns[0], ns[1], ns[2]), scale: 1,
                       out: out, staging: staging)
            for x in 0..<width {
                for (o, (w, b, base)) in ((0..<nl).map { ($0, (wl, bl, 0)) } + (0..<nc).map { ($0, (wc, bc, nl)) }) {
                    var s = Double(b[o])
                    for ch in 0..<c { for ky in 0..<3 { for kx in 0..<3 {
                        s += Double(w[((o * c + ch) * 3 + ky) * 3 + kx]) * f(y - 1 + ky, x - 1 + kx, ch)
                    } } }
                    XCTAssertEqual(Double(out[x * kernel.outPadded + base + o]), s, accuracy: 1e-4 * max(1, abs(s)),
                                   "l2norm \(l2) x \(x) output \(base + o)")
                }
            }
        }
    }
}
