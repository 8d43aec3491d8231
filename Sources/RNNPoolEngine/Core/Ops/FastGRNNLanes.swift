/// A FastGRNN cell stepping 16 independent sequences at once, one per SIMD lane.
/// State and pre-activations are `hidden` vectors of 16 lanes each:
///     a  = (W x) + U h,   z = σ(a + b_z),   h~ = tanh(a + b_h)
///     h' = (σ(ζ)(1 − z) + σ(ν)) ⊙ h~ + z ⊙ h
struct FastGRNNLanes {
    let input: Int
    let hidden: Int
    let W: FloatBuffer       // [hidden][input]
    let U: FloatBuffer       // [hidden][hidden]
    let biasZ: FloatBuffer
    let biasH: FloatBuffer
    let sigmaZeta: Float
    let sigmaNu: Float
    /// e^{−b_z} and e^{−2·b_h} per hidden unit: with E = e^{−a}, the two gates need
    /// e^{−(a+b_z)} = E·e^{−b_z} and e^{−2(a+b_h)} = E²·e^{−2b_h}, one exp for both.
    let expNegBiasZ: FloatBuffer
    let expNeg2BiasH: FloatBuffer
    /// (σ(ζ) + σ(ν))·e^{−b_z} per hidden unit: the gate's keep factor σ(ν) + (σ(ζ) + σ(ν))·e₁
    /// is then one fused multiply-add from E (`update(exp:_:h:)`).
    let gateKeepSlope: FloatBuffer
    /// The int8 path's gates (`compactUpdate`) take their one exp at −(a + b_h) instead,
    /// as a power of two: −b_h·log₂e, e^{b_h−b_z} (e₁ per unit of T) and
    /// (σ(ζ) + σ(ν))·e^{b_h−b_z} per hidden unit.
    let negBiasHLog2E: FloatBuffer
    let compactPlusSlope: FloatBuffer
    let compactKeepSlope: FloatBuffer

    /// |a| beyond which both gates of every hidden unit are saturated to within 4.2e-8,
    /// when clamping a there is all the overflow protection the gate maths needs; nil
    /// when the biases are too large for that (then every exponential is clamped).
    ///
    /// z = σ(a + b_z) is within 4.2e-8 of 0 or 1 once |a + b_z| ≥ 17, and h~ = tanh(a + b_h)
    /// within 3.1e-8 of ±1 once |a + b_h| ≥ 9, so clamping a to ±A with
    /// A = max(17 + max|b_z|, 9 + max|b_h|) moves nothing by more than 4.2e-8. With |a| ≤ A
    /// the largest product the update forms, (1 + e₁)(1 + e₂), is below
    /// e^(3A + max|b_z| + 2·max|b_h|), which must stay under float's e^88.7.
    /// The shipped model's biases are below 1.7, so A ≈ 18.7 and the bound holds with room.
    let saturation: Float?

    static func saturationBound(biasZ: FloatBuffer, biasH: FloatBuffer, hidden: Int) -> Float? {
        var bz: Float = 0, bh: Float = 0
        for j in 0..<hidden {
            bz = max(bz, abs(biasZ.p[j]))
            bh = max(bh, abs(biasH.p[j]))
        }
        let bound = max(17 + bz, 9 + bh)
        return 3 * bound + bz + 2 * bh <= 86 ? bound : nil
    }

    /// Four units' sums each gain one product: a_u += r[u·n]·v (the four weights of one
    /// input column, rows n apart), one fused multiply-add per lane. The input and the
    /// recurrent products share it.
    @inline(__always)
    static func madd4(_ a0: inout SIMD16<Float>, _ a1: inout SIMD16<Float>, _ a2: inout SIMD16<Float>,
                      _ a3: inout SIMD16<Float>, _ r: UnsafePointer<Float>, _ n: Int, _ v: SIMD16<Float>) {
        a0.addProduct(r[0], v)
        a1.addProduct(r[n], v)
        a2.addProduct(r[2 &* n], v)
        a3.addProduct(r[3 &* n], v)
    }

    /// a[j] = Σ_i W[j][i] x[i] for 16 lanes, each sum in the order of i.
    @inline(__always)
    func inputProjection(_ x: UnsafePointer<SIMD16<Float>>, into a: UnsafeMutablePointer<SIMD16<Float>>) {
        let w = W.p, n = input
        #if RNNPOOL_FIRMWARE
        // The Cortex-M4: RNN2's 16 × 16 projection is the recurrent products' C loop from 0
        // (the same fused multiply-adds from 0, in the same order).
        if n == 16 && hidden == 16 {
            m4_recurrent_products16(nil, w, UnsafeRawPointer(x).assumingMemoryBound(to: Float.self),
                                    UnsafeMutableRawPointer(a).assumingMemoryBound(to: Float.self))
            return
        }
        #endif
        var j = 0
        // Eight units at a time: eight independent FMA chains share each x[i] load (one
        // chain at a time waited out its FMA latency at every step: 6% of a frame).
        while FastGRNNLanes.eightChainProjection && FastGRNNLanes.eightChains && j + 8 <= hidden {
            var a0 = SIMD16<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0
            let r = w + j &* n
            for i in 0..<n {
                let xi = x[i]
                Self.madd4(&a0, &a1, &a2, &a3, r + i, n, xi)
                Self.madd4(&a4, &a5, &a6, &a7, r + i + 4 &* n, n, xi)
            }
            a[j] = a0; a[j &+ 1] = a1; a[j &+ 2] = a2; a[j &+ 3] = a3
            a[j &+ 4] = a4; a[j &+ 5] = a5; a[j &+ 6] = a6; a[j &+ 7] = a7
            j &+= 8
        }
        // Four at a time where eight would spill (AVX2; `eightChains`).
        while !FastGRNNLanes.eightChains && j + 4 <= hidden {
            var a0 = SIMD16<Float>(), a1 = a0, a2 = a0, a3 = a0
            let r = w + j &* n
            for i in 0..<n { Self.madd4(&a0, &a1, &a2, &a3, r + i, n, x[i]) }
            a[j] = a0; a[j &+ 1] = a1; a[j &+ 2] = a2; a[j &+ 3] = a3
            j &+= 4
        }
        while j < hidden {
            var acc = SIMD16<Float>()
            let row = w + j &* n
            for i in 0..<n { acc.addProduct(x[i], row[i]) }
            a[j] = acc
            j &+= 1
        }
    }

    #if RNNPOOL_FIRMWARE
    /// On the Cortex-M4 a 16-lane vector is 16 scalar registers of its 32: eight
    /// accumulators spill, one chain runs 10 M fewer instructions a frame.
    static let eightChainProjection = false
    #else
    static let eightChainProjection = true
    #endif

    /// Eight accumulator chains in the recurrent products where a SIMD16 is one register
    /// (AVX-512: 32 of them), and on the Cortex-M4 for the widths its C loop does not take
    /// (measured before that loop: four chains ran 630.6 M instructions a frame, eight
    /// 623.3 M); else four.
    #if RNNPOOL_AVX512 || RNNPOOL_FIRMWARE
    static let eightChains = true
    #else
    static let eightChains = false
    #endif

    /// The largest |h| a sweep of `steps` steps from h = 0 can reach, whatever its inputs:
    /// h' = keep·h~ + z·h with |h~| ≤ 1, keep = σ(ζ)(1 − z) + σ(ν) and z ∈ [0, 1], so
    /// |h'| ≤ max(σ(ζ) + σ(ν), σ(ν) + |h|) (the bound is linear in z).
    func stateBound(steps: Int) -> Double {
        var bound = 0.0
        for _ in 0..<max(0, steps) { bound = max(Double(sigmaZeta) + Double(sigmaNu), Double(sigmaNu) + bound) }
        return bound
    }

    /// True when, for inputs with |x| ≤ `inputBound`, no pre-activation of a sweep of
    /// `steps` steps can leave ±`saturation`: |a_j| ≤ Σ_i |W_ji|·inputBound + Σ_k |U_jk|·H,
    /// H the state bound of the step before the last. Then the bounded gates' clamp never
    /// acts, and `UnclampedGates` (the same arithmetic without it) gives identical results.
    /// The margin covers float rounding in a (~20 terms, relative error below 1e-5).
    func clampIsIdle(inputBound: Double, steps: Int) -> Bool {
        guard let limit = saturation, inputBound.isFinite else { return false }
        let h = stateBound(steps: steps - 1)
        var worst = 0.0
        for j in 0..<hidden {
            var b = 0.0
            for i in 0..<input { b += Double(abs(W.p[j * input + i])) * inputBound }
            for k in 0..<hidden { b += Double(abs(U.p[j * hidden + k])) * h }
            worst = max(worst, b)
        }
        return worst * (1 + 1e-3) + 1e-3 <= Double(limit)
    }

    /// One time step from the input `x`: the input projection into `scratch`, then `step`.
    /// On the Cortex-M4, RNN1's shape (4 inputs, 16 units) after its first step takes one C
    /// loop for W x + U h (the same fused multiply-adds in the same order, W x kept in a
    /// register), then the gates.
    @inline(__always)
    func step(input x: UnsafePointer<SIMD16<Float>>, h: UnsafeMutablePointer<SIMD16<Float>>,
              scratch: UnsafeMutablePointer<SIMD16<Float>>, first: Bool, clampIdle: Bool = false, compact: Bool = false) {
        #if RNNPOOL_FIRMWARE
        if !first && input == 4 && hidden == 16 {
            m4_rnn1_products16(UnsafeRawPointer(x).assumingMemoryBound(to: Float.self), W.p, U.p,
                               UnsafeRawPointer(h).assumingMemoryBound(to: Float.self),
                               UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: Float.self))
            step(scratch, h: h, scratch: scratch, first: first, clampIdle: clampIdle, compact: compact, summed: true)
            return
        }
        #endif
        inputProjection(x, into: scratch)
        step(scratch, h: h, scratch: scratch, first: first, clampIdle: clampIdle, compact: compact)
    }

    /// One time step from the input projection `a` (W x, already computed). `h` is
    /// updated in place (`scratch`: hidden vectors for the pre-activations; it may be
    /// `a` itself, each a[j] being read before scratch[j] is written); `first` means
    /// h = 0. `clampIdle` is `clampIsIdle(...)` for the sweep's inputs: the gates then skip
    /// the clamp. `compact`: the int8 path's gates (`compactUpdate`, with
    /// Activations.exp2Compact), where the biases allow the bounded forms.
    /// `summed`: `a` already holds W x + U h (the recurrent products are skipped).
    @inline(__always)
    func step(_ a: UnsafePointer<SIMD16<Float>>, h: UnsafeMutablePointer<SIMD16<Float>>,
              scratch: UnsafeMutablePointer<SIMD16<Float>>, first: Bool, clampIdle: Bool = false, compact: Bool = false,
              summed: Bool = false) {
        if let bound = saturation {
            switch (clampIdle, compact) {
            case (true, false):
                step(a, h: h, scratch: scratch, first: first, summed: summed,
                     gates: UnclampedGates<PreciseGates>(cell: self))
            case (true, true):
                step(a, h: h, scratch: scratch, first: first, summed: summed,
                     gates: UnclampedGates<CompactGates>(cell: self))
            case (false, false):
                step(a, h: h, scratch: scratch, first: first, summed: summed,
                     gates: BoundedGates<PreciseGates>(cell: self, bound: bound))
            case (false, true):
                step(a, h: h, scratch: scratch, first: first, summed: summed,
                     gates: BoundedGates<CompactGates>(cell: self, bound: bound))
            }
        } else {
            step(a, h: h, scratch: scratch, first: first, summed: summed, gates: ClampedGates(cell: self))
        }
    }

    @inline(__always)
    private func step<G: GateUpdate>(_ a: UnsafePointer<SIMD16<Float>>, h: UnsafeMutablePointer<SIMD16<Float>>,
                                     scratch: UnsafeMutablePointer<SIMD16<Float>>, first: Bool, summed: Bool,
                                     gates: G) {
        let n = hidden
        if first {
            for j in 0..<n { h[j] = gates.update(a[j], j, SIMD16()) }
            return
        }
        if summed {
            for j in 0..<n { h[j] = gates.update(a[j], j, h[j]) }
            return
        }
        // All pre-activations first (in `scratch`), then all gates, updating h in place:
        // 4% faster a frame than four units' multiply-adds followed by their gates and a
        // copy of h (BENCHMARKS.md, issue 9).
        #if RNNPOOL_FIRMWARE
        // The Cortex-M4 holds no 16-lane vector in registers: for 16 units a C loop takes
        // one lane at a time, its h in registers, with the same fused multiply-adds in the
        // same order (scripts/m4/dsp_kernels.c).
        if n == 16 {
            m4_recurrent_products16(UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), U.p,
                                    UnsafeRawPointer(h).assumingMemoryBound(to: Float.self),
                                    UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: Float.self))
        } else {
            recurrentProducts(a, h: h, into: scratch)
        }
        #else
        recurrentProducts(a, h: h, into: scratch)
        #endif
        // Every pre-activation is computed, so h can be updated in place.
        for j in 0..<n { h[j] = gates.update(scratch[j], j, h[j]) }
    }

    /// scratch[j] = a[j] + Σ_k U[j][k]·h[k] for every unit j (scratch may be a: each a[j]
    /// is read before scratch[j] is written).
    @inline(__always)
    private func recurrentProducts(_ a: UnsafePointer<SIMD16<Float>>, h: UnsafeMutablePointer<SIMD16<Float>>,
                                   into scratch: UnsafeMutablePointer<SIMD16<Float>>) {
        let n = hidden
        let u = U.p
        var j = 0
        // Eight hidden units at a time: eight independent FMA chains over k (two FMA
        // pipes of latency 4 need eight) share each h[k] load. Where a SIMD16 takes two
        // registers (AVX2: 16 of them), eight chains' 16 accumulators spill to the stack
        // at every k: four at a time there. Each sum runs over k in order either way, so
        // the bits are the same.
        while FastGRNNLanes.eightChains && j + 8 <= n {
            var a0 = a[j], a1 = a[j &+ 1], a2 = a[j &+ 2], a3 = a[j &+ 3]
            var a4 = a[j &+ 4], a5 = a[j &+ 5], a6 = a[j &+ 6], a7 = a[j &+ 7]
            let r0 = u + j &* n
            for k in 0..<n {
                let hk = h[k], r = r0 + k
                Self.madd4(&a0, &a1, &a2, &a3, r, n, hk)
                Self.madd4(&a4, &a5, &a6, &a7, r + 4 &* n, n, hk)
            }
            scratch[j] = a0; scratch[j &+ 1] = a1; scratch[j &+ 2] = a2; scratch[j &+ 3] = a3
            scratch[j &+ 4] = a4; scratch[j &+ 5] = a5; scratch[j &+ 6] = a6; scratch[j &+ 7] = a7
            j &+= 8
        }
        while j + 4 <= n {
            var a0 = a[j], a1 = a[j &+ 1], a2 = a[j &+ 2], a3 = a[j &+ 3]
            let r0 = u + j &* n
            for k in 0..<n { Self.madd4(&a0, &a1, &a2, &a3, r0 + k, n, h[k]) }
            scratch[j] = a0; scratch[j &+ 1] = a1; scratch[j &+ 2] = a2; scratch[j &+ 3] = a3
            j &+= 4
        }
        while j < n {
            var aj = a[j]
            let row = u + j &* n
            for k in 0..<n { aj.addProduct(row[k], h[k]) }
            scratch[j] = aj
            j &+= 1
        }
    }
}

/// h' for hidden unit j from its pre-activation a: z = σ(a + b_z), h~ = tanh(a + b_h).
///
/// One exp serves both gates: E = e^{−a}, e₁ = E·e^{−b_z}, e₂ = E²·e^{−2b_h}, so
/// z = 1/(1 + e₁) and h~ = (1 − e₂)/(1 + e₂). Put over their common denominator,
///     h' = (σ(ζ)(1 − z) + σ(ν))·h~ + z·h
///        = [(1 − e₂)(σ(ν) + (σ(ζ) + σ(ν))·e₁) + (1 + e₂)·h] / [(1 + e₁)(1 + e₂)]
/// (σ(ζ)(1 − z) + σ(ν) = (σ(ν) + (σ(ζ) + σ(ν))e₁)/(1 + e₁)): one division and, with e₁'s
/// factor e^{−b_z} folded into per-unit constants, seven multiplies or fused
/// multiply-adds a unit where the form with z and h~ took thirteen (the gates are most
/// of a FastGRNN step, and the multiply pipes its bottleneck on x86: issue 22).
protocol GateUpdate {
    func update(_ a: SIMD16<Float>, _ j: Int, _ h: SIMD16<Float>) -> SIMD16<Float>
}

extension FastGRNNLanes {
    /// h' from e₁ = e^{−(a+b_z)}, e₂ = e^{−2(a+b_h)} and h (the clamped form, where e₁ and
    /// e₂ are capped separately).
    @inline(__always)
    func update(e1: SIMD16<Float>, e2: SIMD16<Float>, h: SIMD16<Float>) -> SIMD16<Float> {
        let keep = SIMD16<Float>(repeating: sigmaNu).addingProduct(e1, sigmaZeta + sigmaNu)
        return update(keep: keep, plus: 1 + e1, e2: e2, h: h)
    }

    /// h' from E = e^{−a} (|a| within the saturation bound, so nothing overflows):
    /// keep = σ(ν) + ((σ(ζ) + σ(ν))·e^{−b_z})·E and 1 + e₁ = 1 + e^{−b_z}·E, one FMA each.
    @inline(__always)
    func update(exp e: SIMD16<Float>, _ j: Int, h: SIMD16<Float>) -> SIMD16<Float> {
        let keep = SIMD16<Float>(repeating: sigmaNu).addingProduct(e, gateKeepSlope.p[j])
        let plus = SIMD16<Float>(repeating: 1).addingProduct(e, expNegBiasZ.p[j])
        return update(keep: keep, plus: plus, e2: e * e * expNeg2BiasH.p[j], h: h)
    }

    /// The int8 path's form of `update(exp:_:h:)`, fewer multiplies a unit (the multiply
    /// pipes bound the step on x86, issue 22; its results are rounded to 8 bits): its one
    /// exp is T = e^{−(a+b_h)} = 2^{y}, y = −b_h·log₂e − a·log₂e in one fused multiply-add
    /// (`Activations.exp2Compact`, whose range reduction is then adds); e₂ = T² (one
    /// multiply, where E²·e^{−2b_h} took two) and e₁ = e^{b_h−b_z}·T; and the numerator
    /// keep·(1 − e₂) + (1 + e₂)·h is formed as (h + keep) + e₂·(h − keep), two adds and one
    /// fused multiply-add where it took a multiply, an add and one. Within 5e-6 of the
    /// precise gates (OpTests' gate test).
    @inline(__always)
    func compactUpdate(_ a: SIMD16<Float>, _ j: Int, h: SIMD16<Float>) -> SIMD16<Float> {
        let y = SIMD16<Float>(repeating: negBiasHLog2E.p[j]).addingProduct(a, -Activations.log2E)
        let t = Activations.exp2Compact(y)
        let keep = SIMD16<Float>(repeating: sigmaNu).addingProduct(t, compactKeepSlope.p[j])
        let plus = SIMD16<Float>(repeating: 1).addingProduct(t, compactPlusSlope.p[j])
        let e2 = t * t
        let numerator = (h + keep).addingProduct(e2, h - keep)
        return numerator / (plus * (1 + e2))
    }

    /// The shared end: (keep·(1 − e₂) + (1 + e₂)·h) / (plus·(1 + e₂)).
    @inline(__always)
    private func update(keep: SIMD16<Float>, plus: SIMD16<Float>, e2: SIMD16<Float>, h: SIMD16<Float>) -> SIMD16<Float> {
        let q = 1 + e2
        let numerator = (q * h).addingProduct(1 - e2, keep)
        return numerator / (plus * q)
    }
}

/// For any biases: e₁ and e₂ are capped at 1e18 (the gates are saturated long before),
/// so nothing overflows to inf or NaN whatever a is. Exact to float precision for biases
/// with |b_z| < 41 and |b_h| < 20 (e^{−b} must itself stay below the cap).
struct ClampedGates: GateUpdate {
    let cell: FastGRNNLanes

    @inline(__always)
    func update(_ a: SIMD16<Float>, _ j: Int, _ h: SIMD16<Float>) -> SIMD16<Float> {
        let e = Activations.exp(-a)
        return cell.update(e1: clampAbove(e * cell.expNegBiasZ.p[j], 1e18),
                           e2: clampAbove(e * e * cell.expNeg2BiasH.p[j], 1e18), h: h)
    }
}

/// The arithmetic of the bounded gate forms from a (|a| within the saturation bound): the
/// float path's, or the int8 path's compact one.
protocol GateArithmetic {
    static func update(_ cell: FastGRNNLanes, _ a: SIMD16<Float>, _ j: Int, h: SIMD16<Float>) -> SIMD16<Float>
}

enum PreciseGates: GateArithmetic {
    @inline(__always)
    static func update(_ cell: FastGRNNLanes, _ a: SIMD16<Float>, _ j: Int, h: SIMD16<Float>) -> SIMD16<Float> {
        cell.update(exp: Activations.expWithin87(-a), j, h: h)
    }
}

enum CompactGates: GateArithmetic {
    @inline(__always)
    static func update(_ cell: FastGRNNLanes, _ a: SIMD16<Float>, _ j: Int, h: SIMD16<Float>) -> SIMD16<Float> {
        cell.compactUpdate(a, j, h: h)
    }
}

/// For biases within `FastGRNNLanes.saturation`: one clamp of a to ±bound replaces the
/// four the clamped form needs (two inside exp, one per gate). Equal to `ClampedGates`
/// wherever |a| ≤ bound, and within 4.2e-8 beyond (with the precise exp).
struct BoundedGates<E: GateArithmetic>: GateUpdate {
    let cell: FastGRNNLanes
    let bound: Float

    @inline(__always)
    func update(_ a: SIMD16<Float>, _ j: Int, _ h: SIMD16<Float>) -> SIMD16<Float> {
        E.update(cell, clampBelow(clampAbove(a, bound), -bound), j, h: h)
    }
}

/// `BoundedGates` without its clamp, for sweeps where `FastGRNNLanes.clampIsIdle` has
/// shown that |a| never reaches the bound: the same operations on the same values.
struct UnclampedGates<E: GateArithmetic>: GateUpdate {
    let cell: FastGRNNLanes

    @inline(__always)
    func update(_ a: SIMD16<Float>, _ j: Int, _ h: SIMD16<Float>) -> SIMD16<Float> {
        E.update(cell, a, j, h: h)
    }
}
