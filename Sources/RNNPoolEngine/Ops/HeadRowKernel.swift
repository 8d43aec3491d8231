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

    /// 1/(sqrt(Σ x²) + 1e-10) for every pixel of an input row.
    func inverseNorms(row: UnsafePointer<Float>, width: Int, into out: UnsafeMutablePointer<Float>) {
        for x in 0..<width {
            let p = row + x &* inStride
            var s: Float = 0
            for c in 0..<channels { s += p[c] * p[c] }
            out[x] = 1 / (s.squareRoot() + 1e-10)
        }
    }

    /// Output row `y` (width × outPadded floats: loc then conf channels). `rows[ky]` is
    /// input row y−1+ky or nil outside the map; `norms[ky]` its inverse norms.
    func run(width: Int, rows: [UnsafePointer<Float>?], norms: [UnsafePointer<Float>?],
             out: UnsafeMutablePointer<Float>) {
        let c = channels, op = outPadded, w = weight.p, b = bias.p
        for x in 0..<width {
            let o = out + x &* op
            o.update(from: b, count: op)
            for ky in 0..<3 {
                guard let r = rows[ky] else { continue }
                for kx in 0..<3 {
                    let ix = x - 1 + kx
                    if ix < 0 || ix >= width { continue }
                    let px = r + ix &* inStride
                    let wt = w + (ky &* 3 &+ kx) &* c &* op
                    let s: Float = l2norm ? norms[ky]![ix] : 1
                    var oc = 0
                    while oc < op {
                        var acc = SIMD8<Float>()
                        for ci in 0..<c {
                            acc.addProduct(px[ci], load8(wt + (ci &* op &+ oc)))
                        }
                        store8(load8(o + oc).addingProduct(s, acc), o + oc)
                        oc &+= 8
                    }
                }
            }
        }
    }
}
