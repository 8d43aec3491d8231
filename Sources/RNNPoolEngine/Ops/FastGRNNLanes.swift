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

    init(_ w: NetworkWeights.FastGRNN) {
        input = w.input
        hidden = w.hidden
        W = FloatBuffer(w.W)
        U = FloatBuffer(w.U)
        biasZ = FloatBuffer(w.biasZ)
        biasH = FloatBuffer(w.biasH)
        sigmaZeta = w.sigmaZeta
        sigmaNu = w.sigmaNu
    }

    /// a[j] = Σ_i W[j][i] x[i] for 16 lanes.
    @inline(__always)
    func inputProjection(_ x: UnsafePointer<SIMD16<Float>>, into a: UnsafeMutablePointer<SIMD16<Float>>) {
        let w = W.p
        for j in 0..<hidden {
            var acc = SIMD16<Float>()
            let row = w + j &* input
            for i in 0..<input { acc.addProduct(x[i], row[i]) }
            a[j] = acc
        }
    }

    /// One time step from the input projection `a` (W x, already computed). `h` is
    /// updated in place through `scratch` (hidden vectors); `first` means h = 0.
    @inline(__always)
    func step(_ a: UnsafePointer<SIMD16<Float>>, h: UnsafeMutablePointer<SIMD16<Float>>,
              scratch: UnsafeMutablePointer<SIMD16<Float>>, first: Bool) {
        let u = U.p, n = hidden
        var j = 0
        if !first {
            // Four hidden units at a time: four independent FMA chains over k share each
            // h[k] load (one chain alone would wait on FMA latency).
            while j + 4 <= n {
                var a0 = a[j], a1 = a[j &+ 1], a2 = a[j &+ 2], a3 = a[j &+ 3]
                let r0 = u + j &* n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n
                for k in 0..<n {
                    let hk = h[k]
                    a0.addProduct(r0[k], hk)
                    a1.addProduct(r1[k], hk)
                    a2.addProduct(r2[k], hk)
                    a3.addProduct(r3[k], hk)
                }
                scratch[j] = update(a0, j, h[j])
                scratch[j &+ 1] = update(a1, j &+ 1, h[j &+ 1])
                scratch[j &+ 2] = update(a2, j &+ 2, h[j &+ 2])
                scratch[j &+ 3] = update(a3, j &+ 3, h[j &+ 3])
                j &+= 4
            }
            while j < n {
                var aj = a[j]
                let row = u + j &* n
                for k in 0..<n { aj.addProduct(row[k], h[k]) }
                scratch[j] = update(aj, j, h[j])
                j &+= 1
            }
        } else {
            for j in 0..<n { scratch[j] = update(a[j], j, SIMD16()) }
        }
        h.update(from: scratch, count: n)
    }

    /// h' for hidden unit j from its pre-activation a: z = σ(a + b_z), h~ = tanh(a + b_h).
    /// Both need a division; they share one: with p = 1 + e^{−(a+b_z)} and
    /// q = 1 + e^{−2|a+b_h|}, r = 1/(p·q) gives z = q·r and |h~| = (2 − q)·p·r.
    @inline(__always)
    private func update(_ a: SIMD16<Float>, _ j: Int, _ h: SIMD16<Float>) -> SIMD16<Float> {
        let gz = a + biasZ.p[j], gh = a + biasH.p[j]
        let ghBits = unsafeBitCast(gh, to: SIMD16<UInt32>.self)
        let ghAbs = unsafeBitCast(ghBits & 0x7FFF_FFFF, to: SIMD16<Float>.self)
        // e^{−gz} is capped at e^{44} so that p·q cannot overflow; σ is then below
        // 1e−19 either way, which float32 cannot tell apart from the exact value.
        let p = 1 + Activations.exp(clampAbove(-gz, 44))
        let q = 1 + Activations.exp(-2 * ghAbs)
        let r = 1 / (p * q)
        let z = q * r
        let tAbs = (2 - q) * p * r
        let t = unsafeBitCast(unsafeBitCast(tAbs, to: SIMD16<UInt32>.self) | (ghBits & 0x8000_0000), to: SIMD16<Float>.self)
        let sz = SIMD16<Float>(repeating: sigmaZeta), sn = SIMD16<Float>(repeating: sigmaNu)
        return (sz * (1 - z) + sn) * t + z * h
    }
}
