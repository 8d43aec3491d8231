/// One output row of a detection head (NETWORK.md §5): optional L2Norm of the input,
/// then the loc and conf 3×3 convolutions (padding 1) computed together. The L2Norm
/// gain g is folded into the weights at load time, and 1/(‖x‖+1e-10) is applied per
/// tap from a small ring of per-pixel factors, so normalised rows are never stored.
struct HeadRowKernel {
    let channels: Int
    let inStride: Int
    let outPadded: Int
    let locCount: Int
    let confCount: Int
    let l2norm: Bool
    let weight: FloatBuffer   // [9][C][outPadded]
    let bias: FloatBuffer

    init(_ w: NetworkWeights.Head) {
        channels = w.channels
        inStride = roundUp8(w.channels)
        outPadded = w.outPadded
        locCount = w.locCount
        confCount = w.confCount
        l2norm = w.l2norm
        weight = FloatBuffer(w.weight)
        bias = FloatBuffer(w.bias)
    }

    /// Per pixel of an input row stored on `grid`, the factor that turns a stored
    /// element into the L2-normalised input: scale/(sqrt(Σ x²) + 1e-10), x = stored · scale.
    func inverseNorms<I: ActivationElement>(row: UnsafePointer<I>, width: Int, grid: ActivationScale,
                                            into out: UnsafeMutablePointer<Float>) {
        let sc = grid.scale
        for x in 0..<width {
            let p = row + x &* inStride
            var s: Float = 0
            for c in 0..<channels {
                let v = p[c].stored * sc
                s += v * v
            }
            out[x] = sc / (s.squareRoot() + 1e-10)
        }
    }

    /// Output row `y` (width × outPadded floats: loc then conf channels). `rows[ky]` is
    /// input row y−1+ky or nil outside the map; `norms[ky]` its factors (inverseNorms)
    /// with L2Norm; without, every stored element is multiplied by `scale`.
    ///
    /// Four output pixels at a time, 16 (or 8) output channels per pass: four
    /// independent accumulators share every weight load.
    func run<I: ActivationElement>(width: Int, rows: ThreeRows<I>, norms: ThreeRows<Float>,
                                   scale: Float, out: UnsafeMutablePointer<Float>) {
        var x = 0
        while x < width {
            let count = min(4, width - x)
            var offset = 0
            while offset + 16 <= outPadded {
                pass(SIMD16<Float>.self, offset: offset, x: x, count: count, width: width, rows: rows, norms: norms, scale: scale, out: out)
                offset += 16
            }
            if offset < outPadded {
                pass(SIMD8<Float>.self, offset: offset, x: x, count: count, width: width, rows: rows, norms: norms, scale: scale, out: out)
            }
            x += 4
        }
    }

    @inline(__always)
    private func pass<V: SIMD, I: ActivationElement>(_: V.Type, offset: Int, x: Int, count: Int, width: Int,
                                                     rows: ThreeRows<I>, norms: ThreeRows<Float>,
                                                     scale: Float, out: UnsafeMutablePointer<Float>) where V.Scalar == Float {
        let c = channels, op = outPadded, w = weight.p + offset
        let b = UnsafeRawPointer(bias.p + offset).loadUnaligned(as: V.self)
        var a0 = b, a1 = b, a2 = b, a3 = b
        for ky in 0..<3 {
            guard let r = rows[ky] else { continue }
            let nrm = norms[ky]
            for kx in 0..<3 {
                // Pixel i reads input column x + i − 1 + kx; outside the map (or past the
                // row's end) it contributes nothing: scale 0 on a valid address.
                var s = SIMD4<Float>(), base = SIMD4<Int>()
                for i in 0..<4 {
                    let ix = x + i - 1 + kx
                    if i < count && ix >= 0 && ix < width {
                        s[i] = l2norm ? nrm![ix] : scale
                        base[i] = ix &* inStride
                    }
                }
                let p0 = r + base[0], p1 = r + base[1], p2 = r + base[2], p3 = r + base[3]
                let s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3]
                let wt = w + (ky &* 3 &+ kx) &* c &* op
                for ci in 0..<c {
                    let wv = UnsafeRawPointer(wt + ci &* op).loadUnaligned(as: V.self)
                    a0.addProduct(p0[ci].stored * s0, wv)
                    a1.addProduct(p1[ci].stored * s1, wv)
                    a2.addProduct(p2[ci].stored * s2, wv)
                    a3.addProduct(p3[ci].stored * s3, wv)
                }
            }
        }
        func store(_ v: V, _ i: Int) {
            let index: Int = (x + i) &* op &+ offset
            UnsafeMutableRawPointer(out + index).storeBytes(of: v, as: V.self)
        }
        store(a0, 0)
        if count > 1 { store(a1, 1) }
        if count > 2 { store(a2, 2) }
        if count > 3 { store(a3, 3) }
    }
}
