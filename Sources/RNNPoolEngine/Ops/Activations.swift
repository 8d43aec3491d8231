/// exp, sigmoid and tanh on SIMD vectors, accurate to a few ulp (~2e-7 relative for
/// exp), without libm calls so that whole vectors stay in registers. The RNN sweeps
/// evaluate millions of these per frame.
enum Activations {
    // exp(x) = 2^n · e^f with n = round(x / ln 2), f = x − n·ln 2 ∈ [−ln2/2, ln2/2].
    // Cody–Waite split of ln 2 keeps f exact; a degree-6 Taylor/minimax polynomial
    // covers the reduced range to float precision.
    @inline(__always)
    static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let xc = x.clamped(lowerBound: SIMD16(repeating: -87.0), upperBound: SIMD16(repeating: 88.0))
        // Adding 1.5·2^23 rounds to the nearest integer and leaves it in the low mantissa bits.
        let magic = SIMD16<Float>(repeating: 12_582_912.0)
        let shifted = xc * 1.442_695_04 + magic
        let n = shifted - magic
        var f = xc - n * 0.693_145_751_953_125
        f = f - n * 1.428_606_765_330_187_045e-06
        var p = SIMD16<Float>(repeating: 1.0 / 720.0)
        p = p * f + 1.0 / 120.0
        p = p * f + 1.0 / 24.0
        p = p * f + 1.0 / 6.0
        p = p * f + 0.5
        p = p * f + 1.0
        p = p * f + 1.0
        let ni = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((ni &+ 127) &<< 23, to: SIMD16<Float>.self)
        return p * scale
    }

    @inline(__always)
    static func sigmoid(_ x: SIMD16<Float>) -> SIMD16<Float> {
        1 / (1 + exp(-x))
    }

    /// tanh(x) = sign(x) · (1 − e^{−2|x|}) / (1 + e^{−2|x|}): no overflow for any x.
    @inline(__always)
    static func tanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let e = exp(-2 * abs(x))
        let t = (1 - e) / (1 + e)
        return t.replacing(with: -t, where: x .< 0)
    }

    @inline(__always)
    static func abs(_ x: SIMD16<Float>) -> SIMD16<Float> {
        unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: SIMD16<Float>.self)
    }

    /// Scalar versions (same arithmetic) for the few places that work per element.
    static func sigmoid(_ x: Float) -> Float { sigmoid(SIMD16(repeating: x))[0] }
    static func tanh(_ x: Float) -> Float { tanh(SIMD16(repeating: x))[0] }
    static func exp(_ x: Float) -> Float { exp(SIMD16(repeating: x))[0] }
}

@inline(__always) func relu6(_ x: Float) -> Float { min(max(x, 0), 6) }

@inline(__always) func relu6<V: SIMD>(_ x: V) -> V where V.Scalar == Float {
    x.clamped(lowerBound: V(repeating: 0), upperBound: V(repeating: 6))
}
