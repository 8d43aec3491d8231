/// exp, sigmoid and tanh on SIMD vectors, accurate to a few ulp (~2e-7 relative for
/// exp), without libm calls so that whole vectors stay in registers. The RNN sweeps
/// evaluate millions of these per frame.
///
/// Swift's SIMD comparisons, `clamped` and `replacing(with:where:)` compile to
/// element-by-element loops through memory; arithmetic, bitwise operations and shifts
/// compile to vector instructions. So clamping and sign handling here are done with
/// sign-bit masks (`&>> 31` of the difference) and bitwise selects.
enum Activations {
    // exp(x) = 2^n · e^f with n = round(x / ln 2), f = x − n·ln 2 ∈ [−ln2/2, ln2/2].
    // Cody–Waite split of ln 2 (C1 = 0.693359375 has few mantissa bits, so n·C1 is
    // exact) keeps f accurate; Cephes' degree-5 minimax polynomial covers the rest.
    @inline(__always)
    static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        expWithin87(clampBelow(clampAbove(x, 88.0), -87.0))
    }

    /// exp for −87 ≤ x ≤ 88 (the caller guarantees it; beyond, 2^n leaves float's exponent
    /// range and the result is garbage). Same arithmetic as `exp`, without its clamps.
    @inline(__always)
    static func expWithin87(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let (shifted, n) = roundedLog2(x)
        var f = x.addingProduct(n, SIMD16(repeating: -0.693_359_375))
        f = f.addingProduct(n, SIMD16(repeating: 2.121_944_40e-4))
        // Cephes expf: e^f ≈ 1 + f + f²·P(f), P of degree 5; Horner steps as FMAs.
        var p = SIMD16<Float>(repeating: 1.987_569_150_0e-4)
        p = SIMD16(repeating: 1.398_199_950_7e-3).addingProduct(p, f)
        p = SIMD16(repeating: 8.333_451_907_3e-3).addingProduct(p, f)
        p = SIMD16(repeating: 4.166_579_589_4e-2).addingProduct(p, f)
        p = SIMD16(repeating: 1.666_666_545_9e-1).addingProduct(p, f)
        p = SIMD16(repeating: 5.000_000_120_1e-1).addingProduct(p, f)
        p = (f + 1).addingProduct(p, f * f)
        return timesPowerOfTwo(p, shifted)
    }

    /// n = round(x / ln 2), and `shifted`, whose low mantissa bits hold n (two's
    /// complement): adding 1.5·2^23 rounds x/ln 2 to the nearest integer and leaves it
    /// there (the float stays in [2^23, 2^24), where the spacing is 1).
    @inline(__always)
    private static func roundedLog2(_ x: SIMD16<Float>) -> (shifted: SIMD16<Float>, n: SIMD16<Float>) {
        let magic = SIMD16<Float>(repeating: 12_582_912.0)
        let shifted = magic.addingProduct(x, SIMD16(repeating: log2E))
        return (shifted, shifted - magic)
    }

    /// p · 2^n, n from `roundedLog2`'s `shifted`, as an integer add to p's exponent field:
    /// shifted left 23, its low bits are n there (the high bits of 1.5·2^23 shift out).
    /// Exact, like the multiply by 2^n it replaces (same bits: e^f is within [0.7, 1.42]
    /// and −126 ≤ n ≤ 127, so p·2^n stays a normal float), and an integer operation where
    /// the multiply pipes are the FastGRNN step's bottleneck (issue 22).
    @inline(__always)
    private static func timesPowerOfTwo(_ p: SIMD16<Float>, _ shifted: SIMD16<Float>) -> SIMD16<Float> {
        let exponent = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &<< 23
        return unsafeBitCast(unsafeBitCast(p, to: SIMD16<Int32>.self) &+ exponent, to: SIMD16<Float>.self)
    }

    /// log₂ e, by which the int8 path's gates scale their pre-activations (`exp2Compact`).
    static let log2E: Float = 1.442_695_04

    /// 2^y for −125 ≤ y ≤ 125 in few operations, for the int8 path's gates (whose results
    /// are rounded to 8 bits anyway; they form y from their pre-activation in the fused
    /// multiply-add that adds the bias, so e^x costs them no more than 2^y): n = round(y)
    /// (`roundedLog2`'s 1.5·2^23 add, on y itself) and g = y − n (exact, |g| ≤ 1/2) by
    /// adds, where e^x's reduction took two fused multiply-adds on the multiply pipes that
    /// bound the FastGRNN step on x86 (issue 22); then 2^g ≈ 1 + g·(c₁ + g·(c₂ + g·(c₃ + g·c₄))), four fused multiply-adds, fitted here
    /// for relative error on |g| ≤ 1/2: 2.9e-6 measured in float32. Only basic float
    /// operations, so every CPU, the Cortex-M4 included, computes the same bits.
    @inline(__always)
    static func exp2Compact(_ y: SIMD16<Float>) -> SIMD16<Float> {
        let magic = SIMD16<Float>(repeating: 12_582_912.0)
        let shifted = y + magic
        let g = y - (shifted - magic)
        var p = SIMD16<Float>(repeating: 9.582_820_348_441_6e-3)
        p = SIMD16(repeating: 5.590_633_675_456_047e-2).addingProduct(p, g)
        p = SIMD16(repeating: 2.402_409_911_155_700_7e-1).addingProduct(p, g)
        p = SIMD16(repeating: 6.931_241_750_717_163e-1).addingProduct(p, g)
        p = SIMD16(repeating: 1).addingProduct(p, g)
        return timesPowerOfTwo(p, shifted)
    }

    @inline(__always)
    static func sigmoid(_ x: SIMD16<Float>) -> SIMD16<Float> {
        1 / (1 + exp(-x))
    }

    /// tanh(x) = sign(x) · (1 − e^{−2|x|}) / (1 + e^{−2|x|}): no overflow for any x.
    @inline(__always)
    static func tanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let bits = unsafeBitCast(x, to: SIMD16<UInt32>.self)
        let magnitude = unsafeBitCast(bits & 0x7FFF_FFFF, to: SIMD16<Float>.self)
        let e = exp(-2 * magnitude)
        let t = (1 - e) / (1 + e)
        return unsafeBitCast(unsafeBitCast(t, to: SIMD16<UInt32>.self) | (bits & 0x8000_0000), to: SIMD16<Float>.self)
    }

    /// Scalar versions (same arithmetic) for the few places that work per element.
    static func sigmoid(_ x: Float) -> Float { sigmoid(SIMD16(repeating: x))[0] }
    static func tanh(_ x: Float) -> Float { tanh(SIMD16(repeating: x))[0] }
    static func exp(_ x: Float) -> Float { exp(SIMD16(repeating: x))[0] }
}

/// max(x, lo) lane-wise, with vector instructions only (x − lo is negative exactly
/// when x < lo; its sign bit, spread by an arithmetic shift, selects lo).
@inline(__always) func clampBelow<V: SIMD>(_ x: V, _ lo: Float) -> V
where V.Scalar == Float {
    select(lessMask: x - V(repeating: lo), x, lo)
}

/// min(x, hi) lane-wise, likewise.
@inline(__always) func clampAbove<V: SIMD>(_ x: V, _ hi: Float) -> V
where V.Scalar == Float {
    select(lessMask: V(repeating: hi) - x, x, hi)
}

/// Where `d` is negative, `c`; elsewhere `x`. Works for SIMD8 and SIMD16 of Float.
@inline(__always) private func select<V: SIMD>(lessMask d: V, _ x: V, _ c: Float) -> V
where V.Scalar == Float {
    if V.self == SIMD16<Float>.self {
        let m = unsafeBitCast(d, to: SIMD16<Int32>.self) &>> 31
        let xi = unsafeBitCast(x, to: SIMD16<Int32>.self)
        let ci = SIMD16<Int32>(repeating: Int32(bitPattern: c.bitPattern))
        return unsafeBitCast((ci & m) | (xi & ~m), to: V.self)
    } else {
        let m = unsafeBitCast(d, to: SIMD8<Int32>.self) &>> 31
        let xi = unsafeBitCast(x, to: SIMD8<Int32>.self)
        let ci = SIMD8<Int32>(repeating: Int32(bitPattern: c.bitPattern))
        return unsafeBitCast((ci & m) | (xi & ~m), to: V.self)
    }
}

@inline(__always) func relu6(_ x: Float) -> Float { min(max(x, 0), 6) }

@inline(__always) func relu6<V: SIMD>(_ x: V) -> V where V.Scalar == Float {
    clampAbove(clampBelow(x, 0), 6)
}
