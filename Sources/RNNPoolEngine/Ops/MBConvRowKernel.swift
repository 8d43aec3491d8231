/// One output row of a fused MBConv block (NETWORK.md §4): 1×1 expand + ReLU6, 3×3
/// depthwise (stride s, zero padding) + ReLU6, 1×1 linear projection, residual.
///
/// The expanded map is never stored whole, not even as a ring of rows: for each group
/// of 8 expanded channels, the kernel expands just the 3 input rows it needs into a
/// 3 × width × 8 scratch, runs the depthwise taps and folds the group straight into the
/// projection accumulators. Stride-1 blocks thus expand each input row three times
/// (extra multiply-adds, counted in `executedMAdds`) in exchange for a t-times smaller
/// line buffer: the trade that keeps the whole pipeline inside the RAM cap.
struct MBConvRowKernel {
    let shape: Architecture.BlockShape
    let midPadded: Int
    let inStride: Int      // floats per input pixel (cin rounded up to 8)
    let outStride: Int     // floats per output pixel (cout rounded up to 8)
    let expandWeight: FloatBuffer?
    let expandBias: FloatBuffer
    let dwWeight: FloatBuffer
    let dwBias: FloatBuffer
    let projectWeight: FloatBuffer
    let projectBias: FloatBuffer

    init(_ w: NetworkWeights.Block) {
        shape = w.shape
        midPadded = w.midPadded
        inStride = roundUp8(w.shape.cin)
        outStride = w.coutPadded
        expandWeight = w.expandWeight.map(FloatBuffer.init)
        expandBias = FloatBuffer(w.expandBias)
        dwWeight = FloatBuffer(w.dwWeight)
        dwBias = FloatBuffer(w.dwBias)
        projectWeight = FloatBuffer(w.projectWeight)
        projectBias = FloatBuffer(w.projectBias)
    }

    /// Scratch floats: 3 expanded rows of one 8-channel group, and one depthwise pixel.
    var scratchFloats: Int { 3 * shape.win * 8 + 8 }

    /// Computes output row `yo`. `inputRow(r)` gives input row r (0 ≤ r < hin).
    func run(row yo: Int, inputRow: (Int) -> UnsafePointer<Float>,
             out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let s = shape, win = s.win, cin = s.cin, mp = midPadded, cp = outStride
        let e = UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: SIMD8<Float>.self)
        let pb = projectBias.p, pw = projectWeight.p
        // Accumulators start at the projection bias (plus the residual input).
        for xo in 0..<s.wout {
            let o = out + xo &* cp
            o.update(from: pb, count: cp)
            if s.residual {
                let r = inputRow(yo) + xo &* inStride
                for c in 0..<cin { o[c] += r[c] }
            }
        }
        var rows: [UnsafePointer<Float>?] = [nil, nil, nil]
        for ky in 0..<3 {
            let r = s.stride * yo - 1 + ky
            if r >= 0 && r < s.hin { rows[ky] = inputRow(r) }
        }
        let ebias = expandBias.p, dwb = dwBias.p, dww = dwWeight.p
        var g = 0
        while g < mp {
            // Expand the needed input rows for channels g ..< g+8.
            for ky in 0..<3 {
                guard let src = rows[ky] else { continue }
                let dst = e + ky &* win
                if let ew = expandWeight {
                    let wg = ew.p + g
                    let b = load8(ebias + g)
                    for x in 0..<win {
                        let px = src + x &* inStride
                        var acc = b
                        for c in 0..<cin {
                            acc.addProduct(px[c], load8(wg + c &* mp))
                        }
                        dst[x] = relu6(acc)
                    }
                } else {
                    // t = 1: the "expanded" map is the input itself (zero beyond cin).
                    for x in 0..<win {
                        var v = SIMD8<Float>()
                        for k in 0..<8 where g + k < cin { v[k] = src[x &* inStride &+ g &+ k] }
                        dst[x] = v
                    }
                }
            }
            let db = load8(dwb + g)
            var taps: [SIMD8<Float>] = []
            taps.reserveCapacity(9)
            for k in 0..<9 { taps.append(load8(dww + (k &* mp &+ g))) }
            for xo in 0..<s.wout {
                var d = db
                let xc = s.stride &* xo
                for ky in 0..<3 where rows[ky] != nil {
                    let er = e + ky &* win
                    if xc >= 1 { d.addProduct(er[xc &- 1], taps[ky &* 3]) }
                    d.addProduct(er[xc], taps[ky &* 3 &+ 1])
                    if xc + 1 < win { d.addProduct(er[xc &+ 1], taps[ky &* 3 &+ 2]) }
                }
                d = relu6(d)
                // Fold the 8 depthwise outputs into the projection accumulators.
                let o = out + xo &* cp
                for k in 0..<8 {
                    let dk = d[k]
                    let wrow = pw + (g &+ k) &* cp
                    var oc = 0
                    while oc < cp {
                        store8(load8(o + oc).addingProduct(dk, load8(wrow + oc)), o + oc)
                        oc &+= 8
                    }
                }
            }
            g += 8
        }
    }
}
