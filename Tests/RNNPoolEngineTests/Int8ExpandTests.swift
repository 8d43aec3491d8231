import Foundation
import XCTest
@testable import RNNPoolEngine

/// The int8 path's MBConv expand (NETWORK.md §7): int8 weights per expanded channel, an
/// exact integer sum, then · scale + bias. The C kernels (VNNI, AVX2) and the Swift loop
/// must give the same bits, since the Cortex-M4 runs the Swift loop.
final class Int8ExpandTests: XCTestCase {
    /// Each channel's integers span ±127 and stay within half a step of the weights.
    func testWeightsQuantizePerChannelWithinHalfAStep() {
        let cin = 6, mp = 16
        var w = [Float](repeating: 0, count: cin * mp)
        for c in 0..<cin { for m in 0..<12 { w[c * mp + m] = Float.random(in: -1...1) * Float(m + 1) } }
        let q = QuantizedExpand(weights: w, cin: cin, midPadded: mp, inputScale: 0.25)
        for m in 0..<mp {
            let column = (0..<cin).map { q.weights[$0 * mp + m] }
            if m >= 12 {
                XCTAssertEqual(column, [Float](repeating: 0, count: cin), "padding channel \(m)")
                continue
            }
            XCTAssertEqual(column.map(abs).max(), 127, "channel \(m): its largest weight maps to ±127")
            let s = q.scale[m] / 0.25
            for c in 0..<cin {
                XCTAssertEqual(column[c], column[c].rounded(), "channel \(m): integers")
                XCTAssertLessThanOrEqual(abs(w[c * mp + m] - column[c] * s), s * 0.5001, "channel \(m) input \(c)")
            }
        }
    }

    /// A block fed int8 rows: its output against the spec's formula computed directly,
    /// with garbage in the padding bytes between pixels (zero weights must ignore it).
    func testInt8BlockMatchesIntegerFormula() throws {
        for (stride, cin) in [(1, 32), (2, 5), (1, 20)] {
            let c = try Case(stride: stride, cin: cin)
            defer { c.release() }
            for yo in 0..<c.shape.hout {
                c.run(c.kernel, row: yo)
                for xo in 0..<c.shape.wout {
                    for o in 0..<c.cout {
                        let s = c.expected(yo, xo, o)
                        // The direct formula sums the depthwise in another order: a value
                        // at a rounding boundary of the projection's grid may land one step
                        // (s_d · |w| ≤ s_d, the weights within ±1) away, twice at most here.
                        let steps = 2 * Double(MBConvRowKernel.depthwiseGrid.scale)
                        XCTAssertEqual(Double(c.out[xo * c.kernel.outStride + o]), s, accuracy: 1e-4 * max(1, abs(s)) + steps,
                                       "stride \(stride) cin \(cin) at (\(yo), \(xo), \(o))")
                    }
                }
            }
        }
    }

    /// The C kernel this CPU gets (AVX-512 VNNI, else AVX2) and the Swift loop give
    /// identical bits on every output (the expand's; IntegerProjectionTests the projection's).
    func testIntegerKernelAndSwiftLoopAgreeBitForBit() throws {
        #if RNNPOOL_HOST_X86_64
        for (stride, cin) in [(1, 32), (2, 64), (1, 5)] {
            let c = try Case(stride: stride, cin: cin)
            defer { c.release() }
            guard c.kernel.integerExpand != nil else { throw XCTSkip("this CPU has neither AVX-512 VNNI nor AVX2") }
            var portable = c.kernel
            portable.integerExpand = nil
            for yo in 0..<c.shape.hout {
                c.run(c.kernel, row: yo)
                let fast = (0..<(c.shape.wout * c.kernel.outStride)).map { c.out[$0].bitPattern }
                c.run(portable, row: yo)
                let slow = (0..<(c.shape.wout * c.kernel.outStride)).map { c.out[$0].bitPattern }
                XCTAssertEqual(fast, slow, "stride \(stride) cin \(cin) row \(yo)")
            }
        }
        #else
        throw XCTSkip("the integer kernels are x86-64 only")
        #endif
    }

    /// Random block weights, random int8 input rows (21 pixels: the 8-, 4- and 1-pixel
    /// passes all run), and the direct formula.
    final class Case {
        let shape: Architecture.BlockShape
        let kernel: MBConvRowKernel
        let cin: Int, cout: Int, mid: Int, win = 21, hin = 4
        let inScale: Float = 0.037
        let ew: [Float], eb: [Float], dw: [Float], db: [Float], pw: [Float], pb: [Float]
        let q: [Int8]
        let input: UnsafeMutablePointer<Int8>, out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>

        init(stride: Int, cin: Int, cout: Int = 8) throws {
            self.cin = cin
            self.cout = cout
            mid = 2 * cin
            func r(_ n: Int) -> [Float] { (0..<n).map { _ in Float.random(in: -1...1) } }
            ew = r(mid * cin); eb = r(mid); dw = r(mid * 9); db = r(mid); pw = r(cout * mid); pb = r(cout)
            shape = Architecture.BlockShape(cin: cin, win: win, hin: hin, cmid: mid, cout: cout,
                                            wout: (win + stride - 1) / stride, hout: (hin + stride - 1) / stride, stride: stride)
            let weights = NetworkWeights.blockWeights(shape: shape, expandWeight: ew, expandBias: eb, dwWeight: dw,
                                                      dwBias: db, projectWeight: pw, projectBias: pb)
            kernel = MBConvRowKernel(weights, inputScale: inScale)
            let cs = roundUp8(cin)
            q = (0..<(hin * win * cs)).map { _ in Int8.random(in: -127...127) }  // padding bytes too
            input = .allocate(capacity: q.count)
            input.initialize(from: q, count: q.count)
            out = .allocate(capacity: shape.wout * kernel.outStride)
            scratch = .allocate(capacity: kernel.scratchFloats)
        }

        func release() { input.deallocate(); out.deallocate(); scratch.deallocate() }

        func run(_ k: MBConvRowKernel, row yo: Int) {
            let cs = roundUp8(cin), w = win
            k.run(row: yo, inputRow: { UnsafePointer(self.input + $0 * w * cs) }, out: out, scratch: scratch,
                  inGrid: ActivationScale(inScale), outGrid: .identity)
        }

        /// NETWORK.md §7's expand: relu6(float(Σ q·qw) · (s_in·s_m) + b), in Float as the
        /// spec has it; the depthwise in Double; the projection as §7's integer sum of the
        /// depthwise outputs' grid steps and the int16 weights, finished in Float.
        func expected(_ yo: Int, _ xo: Int, _ o: Int) -> Double {
            let mp = kernel.midPadded, cs = roundUp8(cin)
            var t = [Float](repeating: 0, count: cin * mp)
            for m in 0..<mid { for c in 0..<cin { t[c * mp + m] = ew[m * cin + c] } }
            let quant = QuantizedExpand(weights: t, cin: cin, midPadded: mp, inputScale: inScale)
            func e(_ y: Int, _ x: Int, _ m: Int) -> Double {
                if y < 0 || y >= hin || x < 0 || x >= win { return 0 }
                var sum = 0
                for c in 0..<cin { sum += Int(q[(y * win + x) * cs + c]) * Int(quant.weights[c * mp + m]) }
                return Double(min(max(Float(sum) * quant.scale[m] + eb[m], 0), 6))
            }
            let cp = kernel.outStride
            var pt = [Float](repeating: 0, count: mp * cp)
            for m in 0..<mid { for oc in 0..<cout { pt[m * cp + oc] = pw[oc * mid + m] } }
            let projection = QuantizedProjection(weights: pt, mid: mid, midPadded: mp, outStride: cp)
            var sum = 0
            for m in 0..<mid {
                var d = Double(db[m])
                for ky in 0..<3 { for kx in 0..<3 { d += Double(dw[m * 9 + ky * 3 + kx]) * e(shape.stride * yo - 1 + ky, shape.stride * xo - 1 + kx, m) } }
                let n = (Float(min(max(d, 0), 6)) * MBConvRowKernel.depthwiseGrid.inverse).rounded(.toNearestOrEven)
                sum += Int(n) * Int(projection.weights[((m / 2) * cp + o) * 2 + m % 2])
            }
            var s = Double(Float(sum) * projection.scale[o] + pb[o])
            if shape.stride == 1 && cin == cout { s += Double(q[(yo * win + xo) * cs + o]) * Double(inScale) }
            return s
        }
    }
}
