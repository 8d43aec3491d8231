/// The int8 path's MBConv projection weights (NETWORK.md §7). The projection reads the
/// depthwise outputs, which ReLU6 bounds to [0, 6]: on the int8 path they are rounded
/// onto the fixed int16 grid s_d = 6/32767 (`MBConvRowKernel.depthwiseGrid`), and each
/// output channel o gets its own int16 weight grid s_o (`int16WeightGrid`: Σ|q| · 32767
/// stays below 2^31), with the integers
///     q[k][o] = clamp(round_half_even(w[k][o] · (1 / s_o)), −32767, 32767)
/// Every projection sum is then an exact int32, in any order (AVX-512 VNNI `vpdpwssd`,
/// AVX2 `vpmaddwd`, the Cortex-M4's `SMLAD`: two products an instruction), and the output
///     float(Σ_k d_k · q[k][o]) · (s_d · s_o) + b[o]
/// is the same number on every CPU and on the Cortex-M4.
struct QuantizedProjection {
    /// [midPadded / 2][outStride][2]: pair j of output o holds q[2j][o], q[2j + 1][o].
    let weights: [Int16]
    /// [outStride]: s_d · s_o, the factor that turns a sum back into a value.
    let scale: [Float]

    /// The largest Σ|q| an output channel may have: 32767 · Σ|q| < 2^31.
    static let sumLimit = Int64(Int32.max) / 32767

    /// `w`: the float projection weights, [midPadded][outStride] (midPadded even), of
    /// which the first `mid` rows are the block's channels (the rest zero).
    init(weights w: [Float], mid: Int, midPadded mp: Int, outStride cp: Int) {
        var q = [Int16](repeating: 0, count: mp * cp)
        var k = [Float](repeating: 0, count: cp)
        for o in 0..<cp {
            var largest: Float = 0, total = 0.0
            for m in 0..<mp {
                largest = max(largest, abs(w[m * cp + o]))
                total += Double(abs(w[m * cp + o]))
            }
            let grid = int16WeightGrid(largest: largest, total: total, count: mid, sumLimit: QuantizedProjection.sumLimit)
            let inverse = 1 / grid
            for m in 0..<mp {
                let v = (w[m * cp + o] * inverse).rounded(.toNearestOrEven)
                q[((m / 2) * cp + o) * 2 + m % 2] = Int16(max(-32767, min(32767, v)))
            }
            k[o] = MBConvRowKernel.depthwiseGrid.scale * grid
        }
        weights = q
        scale = k
    }
}
