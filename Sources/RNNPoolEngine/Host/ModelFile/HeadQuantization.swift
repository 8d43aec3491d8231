/// The int8 path's head weights (NETWORK.md §7): each output channel o of a head gets its
/// own int16 grid, and its 3×3×C weights (L2Norm gain folded in) are stored as integers
///     q[tap][c][o] = clamp(round_half_even(w[tap][c][o] · (1 / s_o)), −32767, 32767)
/// so that with int8 inputs every sum of a head is an exact int32 (AVX2 `vpmaddwd`,
/// the Cortex-M4's `SMLAD`: two products an instruction, where float FMAs do one).
/// s_o = max |w| / 32767, widened where needed so that Σ|q| · 127 stays below 2^31 (no
/// sum can overflow, whatever the input): 16 bits a weight, far finer than the int8
/// inputs' grid, so the heads' outputs move by ~1e-5 of their range.
struct QuantizedHead {
    /// [9][pairs][outPadded][2]: pair p of output o holds q[2p][o], q[2p + 1][o]
    /// (pairs = (channels + 1) / 2; an odd channel count's last weight is 0).
    let weights: [Int16]
    /// [outPadded]: the factor that turns a sum back into a value: s_in · s_o without
    /// L2Norm, s_o with it (the per-pixel L2Norm factors carry s_in).
    let scale: [Float]

    /// The largest Σ|q| an output channel may have: 127 · Σ|q| < 2^31.
    static let sumLimit = Int64(Int32.max) / 127

    /// `w`: the float weights, [9][channels][outPadded]; `inputScale`: s_in, the grid of
    /// the head's int8 input.
    init(weights w: [Float], channels c: Int, outPadded op: Int, l2norm: Bool, inputScale: Float) {
        let pairs = (c + 1) / 2
        var q = [Int16](repeating: 0, count: 9 * pairs * op * 2)
        var k = [Float](repeating: 0, count: op)
        for o in 0..<op {
            var largest: Float = 0, total = 0.0
            for t in 0..<9 {
                for ci in 0..<c {
                    let v = abs(w[(t * c + ci) * op + o])
                    largest = max(largest, v)
                    total += Double(v)
                }
            }
            let grid = int16WeightGrid(largest: largest, total: total, count: 9 * c, sumLimit: QuantizedHead.sumLimit)
            let inverse = 1 / grid
            for t in 0..<9 {
                for ci in 0..<c {
                    let v = (w[(t * c + ci) * op + o] * inverse).rounded(.toNearestOrEven)
                    q[((t * pairs + ci / 2) * op + o) * 2 + ci % 2] = Int16(max(-32767, min(32767, v)))
                }
            }
            k[o] = l2norm ? grid : inputScale * grid
        }
        weights = q
        scale = k
    }
}

/// An output channel's int16 weight grid: s = max |w| / 32767, widened where needed so
/// that Σ|q| stays within `sumLimit` (Σ|q| ≤ Σ|w|/s + n/2 after rounding, so a grid of
/// Σ|w| / (limit − n/2) keeps it in): then no int32 sum of the channel can overflow,
/// whatever the input. `largest`, `total`: max |w| and Σ|w| over the channel's `count`
/// weights. An all-zero channel (padding) keeps q = 0 on any grid; 1 avoids 1/0.
func int16WeightGrid(largest: Float, total: Double, count: Int, sumLimit: Int64) -> Float {
    var grid: Float = largest > 0 ? largest / 32767 : 1
    let n = Double(count)
    if total / Double(grid) + n / 2 > Double(sumLimit) {
        grid = Float(total / (Double(sumLimit) - n / 2)).nextUp
    }
    return grid
}
