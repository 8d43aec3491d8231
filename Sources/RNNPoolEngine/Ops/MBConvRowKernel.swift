/// One output row of a fused MBConv block (NETWORK.md §4): 1×1 expand + ReLU6, 3×3
/// depthwise (stride s, zero padding) + ReLU6, 1×1 linear projection, residual.
///
/// The expanded map is never stored whole, not even as a ring of rows: for each group
/// of 16 expanded channels, the kernel expands just the 3 input rows it needs into a
/// 3 × width × 16 scratch, runs the depthwise taps and folds the group straight into the
/// projection accumulators. Stride-1 blocks thus expand each input row three times
/// (extra multiply-adds) in exchange for a t-times smaller line buffer: the trade that
/// keeps the whole pipeline inside the RAM cap.
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

    /// The expand weights are stored multiplied by `inputScale` (the input's int8
    /// grid; 1 on the float path, which leaves them exact), so the expand loop reads a
    /// stored input element without scaling it.
    let inputScale: Float

    init(_ w: NetworkWeights.Block, inputScale: Float = 1) {
        shape = w.shape
        midPadded = w.midPadded
        inStride = roundUp8(w.shape.cin)
        outStride = w.coutPadded
        self.inputScale = inputScale
        expandWeight = w.expandWeight.map { FloatBuffer($0.map { $0 * inputScale }) }
        expandBias = FloatBuffer(w.expandBias)
        dwWeight = FloatBuffer(w.dwWeight)
        dwBias = FloatBuffer(w.dwBias)
        projectWeight = FloatBuffer(w.projectWeight)
        projectBias = FloatBuffer(w.projectBias)
    }

    /// Expanded channels per group (one SIMD16).
    static let group = 16

    /// Scratch floats: 3 expanded rows of one 16-channel group and (int8 path) the output
    /// row's float accumulators.
    var scratchFloats: Int { 3 * shape.win * MBConvRowKernel.group + shape.wout * outStride }

    /// Computes output row `yo`. `inputRow(r)` gives input row r (0 ≤ r < hin), stored
    /// as `I` on grid `inGrid`; the row is stored as `O` on `outGrid`.
    func run<I: ActivationElement, O: ActivationElement>(
        row yo: Int, inputRow: (Int) -> UnsafePointer<I>, out: UnsafeMutablePointer<O>,
        scratch: UnsafeMutablePointer<Float>, inGrid: ActivationScale, outGrid: ActivationScale) {
        precondition(inGrid.scale == inputScale, "expand weights were scaled for another input grid")
        let s = shape, win = s.win, cin = s.cin, mp = midPadded, cp = outStride, sIn = inGrid.scale
        let e = UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: SIMD16<Float>.self)
        let pb = projectBias.p, pw = projectWeight.p
        // Float rows accumulate in place; int8 rows in scratch, stored once at the end.
        let sums = O.self == Float.self ? UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self)
                                       : scratch + 3 * win * MBConvRowKernel.group
        // Accumulators start at the projection bias (plus the residual input).
        for xo in 0..<s.wout {
            let o = sums + xo &* cp
            o.update(from: pb, count: cp)
            if s.residual {
                let r = inputRow(yo) + xo &* inStride
                for c in 0..<cin { o[c] += r[c].stored * sIn }
            }
        }
        let rows = ThreeRows(first: s.stride * yo - 1, height: s.hin, row: inputRow)
        let ebias = expandBias.p, dwb = dwBias.p, dww = dwWeight.p
        var g = 0
        while g < mp {
            // Expand the needed input rows for channels g ..< g+16.
            for ky in 0..<3 {
                guard let src = rows[ky] else { continue }
                let dst = e + ky &* win
                if let ew = expandWeight {
                    let wg = ew.p + g
                    let b = load16(ebias + g)
                    // Four pixels at a time: four independent FMA chains share each
                    // weight load (one chain alone would be latency-bound).
                    var x = 0
                    while x + 4 <= win {
                        let p0 = src + x &* inStride, p1 = p0 + inStride, p2 = p1 + inStride, p3 = p2 + inStride
                        var a0 = b, a1 = b, a2 = b, a3 = b
                        for c in 0..<cin {
                            let w = load16(wg + c &* mp)
                            a0.addProduct(p0[c].stored, w)
                            a1.addProduct(p1[c].stored, w)
                            a2.addProduct(p2[c].stored, w)
                            a3.addProduct(p3[c].stored, w)
                        }
                        dst[x] = relu6(a0)
                        dst[x &+ 1] = relu6(a1)
                        dst[x &+ 2] = relu6(a2)
                        dst[x &+ 3] = relu6(a3)
                        x &+= 4
                    }
                    while x < win {
                        let px = src + x &* inStride
                        var acc = b
                        for c in 0..<cin { acc.addProduct(px[c].stored, load16(wg + c &* mp)) }
                        dst[x] = relu6(acc)
                        x &+= 1
                    }
                } else {
                    // t = 1: the "expanded" map is the input itself (zero beyond cin).
                    for x in 0..<win {
                        var v = SIMD16<Float>()
                        for k in 0..<16 where g + k < cin { v[k] = src[x &* inStride &+ g &+ k].stored * sIn }
                        dst[x] = v
                    }
                }
            }
            let db = load16(dwb + g)
            let t0 = load16(dww + g), t1 = load16(dww + (mp &+ g)), t2 = load16(dww + (2 &* mp &+ g))
            let t3 = load16(dww + (3 &* mp &+ g)), t4 = load16(dww + (4 &* mp &+ g)), t5 = load16(dww + (5 &* mp &+ g))
            let t6 = load16(dww + (6 &* mp &+ g)), t7 = load16(dww + (7 &* mp &+ g)), t8 = load16(dww + (8 &* mp &+ g))
            // One kernel row's three taps at centre column xc (zero padding at the edges).
            @inline(__always) func tapRow(_ d: inout SIMD16<Float>, _ er: UnsafeMutablePointer<SIMD16<Float>>, _ xc: Int,
                                          _ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>) {
                if xc >= 1 { d.addProduct(er[xc &- 1], a) }
                d.addProduct(er[xc], b)
                if xc + 1 < win { d.addProduct(er[xc &+ 1], c) }
            }
            let has0 = rows.r0 != nil, has1 = rows.r1 != nil, has2 = rows.r2 != nil
            // Each pixel's 16 depthwise outputs go straight into the projection (never
            // stored), 32 output channels at a time held in registers.
            let wg = pw + g &* cp
            for xo in 0..<s.wout {
                var dd = db
                let xc = s.stride &* xo
                if has0 { tapRow(&dd, e, xc, t0, t1, t2) }
                if has1 { tapRow(&dd, e + win, xc, t3, t4, t5) }
                if has2 { tapRow(&dd, e + 2 &* win, xc, t6, t7, t8) }
                let d = relu6(dd)
                let o = sums + xo &* cp
                var oc = 0
                while oc + 32 <= cp {
                    var a0 = load8(o + oc), a1 = load8(o + (oc &+ 8)), a2 = load8(o + (oc &+ 16)), a3 = load8(o + (oc &+ 24))
                    for k in 0..<16 {
                        let dk = d[k], w = wg + (k &* cp &+ oc)
                        a0.addProduct(dk, load8(w))
                        a1.addProduct(dk, load8(w + 8))
                        a2.addProduct(dk, load8(w + 16))
                        a3.addProduct(dk, load8(w + 24))
                    }
                    store8(a0, o + oc); store8(a1, o + (oc &+ 8)); store8(a2, o + (oc &+ 16)); store8(a3, o + (oc &+ 24))
                    oc &+= 32
                }
                while oc < cp {
                    var a = load8(o + oc)
                    for k in 0..<16 { a.addProduct(d[k], load8(wg + (k &* cp &+ oc))) }
                    store8(a, o + oc)
                    oc &+= 8
                }
            }
            g += 16
        }
        if O.self != Float.self {
            let inv = outGrid.inverse
            for i in 0..<(s.wout &* cp) { out[i] = O(storing: sums[i], inverse: inv) }
        }
    }
}
