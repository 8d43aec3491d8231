/// The int8 path's expand weights (NETWORK.md §7): each expanded channel m gets its own
/// int8 grid, s_m = max_c |w[c][m]| / 127, and its weights are stored as the integers
///     q[c][m] = clamp(round_half_even(w[c][m] · (1 / s_m)), −127, 127)
/// (the activations' rounding, ActivationElement). With int8 inputs x the expand is then
///     relu6(float(Σ_c x[c] · q[c][m]) · (s_in · s_m) + b[m])
/// an integer sum (exact: |Σ| ≤ 127 · 127 · cin < 2^24 for cin ≤ 1040) that AVX-512
/// VNNI computes 64 products per instruction, and that float arithmetic computes exactly
/// as well, in any order: the same numbers on every CPU and on the Cortex-M4.
struct QuantizedExpand {
    /// [cin][midPadded]: the integers q, stored as floats.
    let weights: [Float]
    /// [midPadded]: s_in · s_m, the factor that turns a sum back into a value.
    let scale: [Float]

    /// `w`: the float expand weights, [cin][midPadded]; `inputScale`: s_in, the grid of
    /// the block's int8 input.
    init(weights w: [Float], cin: Int, midPadded mp: Int, inputScale: Float) {
        var q = [Float](repeating: 0, count: cin * mp)
        var k = [Float](repeating: 0, count: mp)
        for m in 0..<mp {
            var largest: Float = 0
            for c in 0..<cin { largest = max(largest, abs(w[c * mp + m])) }
            // An all-zero channel (padding) keeps q = 0 on any grid; 1 avoids 1/0.
            let grid = ActivationScale(largest > 0 ? largest / 127 : 1)
            for c in 0..<cin { q[c * mp + m] = Int8(storing: w[c * mp + m], inverse: grid.inverse).stored }
            k[m] = inputScale * grid.scale
        }
        weights = q
        scale = k
    }
}
