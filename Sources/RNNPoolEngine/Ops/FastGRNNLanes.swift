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
        let u = U.p, bz = biasZ.p, bh = biasH.p
        let sz = SIMD16<Float>(repeating: sigmaZeta), sn = SIMD16<Float>(repeating: sigmaNu)
        let n = hidden
        if first {
            for j in 0..<n {
                let aj = a[j]
                let z = Activations.sigmoid(aj + bz[j])
                let c = Activations.tanh(aj + bh[j])
                scratch[j] = (sz * (1 - z) + sn) * c
            }
        } else {
            for j in 0..<n {
                var aj = a[j]
                let row = u + j &* n
                for k in 0..<n { aj.addProduct(h[k], row[k]) }
                let z = Activations.sigmoid(aj + bz[j])
                let c = Activations.tanh(aj + bh[j])
                scratch[j] = (sz * (1 - z) + sn) * c + z * h[j]
            }
        }
        h.update(from: scratch, count: n)
    }
}
