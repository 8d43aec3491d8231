import XCTest
@testable import RNNPoolEngine
#if RNNPOOL_HOST_X86_64
import CKernels
#endif

/// The int8 path's MBConv projection (NETWORK.md §7): the depthwise outputs on the int16
/// grid 6/32767, int16 weights per output channel, exact int32 sums. Every kernel must
/// give the Swift loop's bits, since the Cortex-M4 is held to the host's.
final class IntegerProjectionTests: XCTestCase {
    /// ReLU6's range maps onto 0…32767, rounding half to even, two channels a word.
    func testDepthwiseOutputsBecomeGridStepsInPairs() {
        let grid = MBConvRowKernel.depthwiseGrid
        var d = SIMD16<Float>()
        for i in 0..<16 { d[i] = Float(i) * 0.4 }
        d[14] = 6
        d[15] = 2.5 * grid.scale   // half a step above 2 steps: the even one, 2
        let steps = IntegerProjection.gridSteps(d)
        for i in 0..<15 { XCTAssertEqual(steps[i], Int16((d[i] * grid.inverse).rounded(.toNearestOrEven)), "channel \(i)") }
        XCTAssertEqual(steps[14], 32767)
        XCTAssertEqual(steps[15], Int16((2.5 * grid.scale * grid.inverse).rounded(.toNearestOrEven)))
        let words = unsafeBitCast(steps, to: SIMD8<UInt32>.self)
        XCTAssertEqual(words[3], UInt32(UInt16(steps[6])) | UInt32(UInt16(steps[7])) << 16)
    }

    /// Weights near the int16 range's end on many channels: the grid widens until no sum
    /// of 32767-step inputs can overflow int32; a lone large weight keeps the full range.
    func testWeightGridsKeepEverySumInInt32() {
        let mid = 256, cp = 8
        var w = [Float](repeating: 0, count: mid * cp)
        for m in 0..<mid { w[m * cp] = 0.9; w[m * cp + 1] = m == 0 ? 0.9 : 0.001 }
        let q = QuantizedProjection(weights: w, mid: mid, midPadded: mid, outStride: cp)
        func column(_ o: Int) -> [Int] { (0..<mid).map { Int(q.weights[(($0 / 2) * cp + o) * 2 + $0 % 2]) } }
        XCTAssertLessThanOrEqual(column(0).map(abs).reduce(0, +) * 32767, Int(Int32.max))
        XCTAssertEqual(column(1)[0], 32767, "one large weight: the full int16 range")
        XCTAssertEqual(column(2), [Int](repeating: 0, count: mid), "an all-zero output channel stays zero")
        XCTAssertEqual(q.scale[0], MBConvRowKernel.depthwiseGrid.scale * (0.9 * Float(mid) / Float(65538 - mid / 2)).nextUp,
                       accuracy: q.scale[0] * 1e-6)
    }

    /// The VNNI and AVX2 kernels (where this CPU has them) and the Swift loop give the same
    /// bits for output widths that use every pass (32, 16 and 8 channels), both strides.
    func testProjectionKernelsAndSwiftLoopAgreeBitForBit() throws {
        #if RNNPOOL_HOST_X86_64
        var kernels: [IntegerProjection.Kernel] = []
        if rc_has_avx512_vnni() != 0 { kernels.append(.vnni) }
        if rc_has_avx2() != 0 { kernels.append(.avx2) }
        guard !kernels.isEmpty else { throw XCTSkip("this CPU has neither AVX-512 VNNI nor AVX2") }
        for (stride, cout) in [(1, 8), (2, 24), (1, 40), (2, 64)] {
            let c = try Int8ExpandTests.Case(stride: stride, cin: 16, cout: cout)
            defer { c.release() }
            let n = c.shape.wout * c.kernel.outStride
            func outputs(_ kind: IntegerProjection.Kernel, row yo: Int) -> [UInt32] {
                var k = c.kernel
                k.projection!.kernel = kind
                c.run(k, row: yo)
                return (0..<n).map { c.out[$0].bitPattern }
            }
            for yo in 0..<c.shape.hout {
                let swift = outputs(.portable, row: yo)
                for kind in kernels { XCTAssertEqual(outputs(kind, row: yo), swift, "\(kind), stride \(stride), cout \(cout), row \(yo)") }
            }
        }
        #else
        throw XCTSkip("the integer kernels are x86-64 only")
        #endif
    }
}
