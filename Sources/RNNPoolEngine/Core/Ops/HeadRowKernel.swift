/// One output row of a detection head (NETWORK.md §5): optional L2Norm of the input,
/// then the loc and conf 3×3 convolutions (padding 1) computed together. The L2Norm
/// gain g is folded into the weights at load time, and 1/(‖x‖+1e-10) is applied per
/// tap from per-pixel factors (three rows of them, made for each output row), so
/// normalised rows are never stored.
struct HeadRowKernel {
    let channels: Int
    let inStride: Int
    let outPadded: Int
    let locCount: Int
    let confCount: Int
    let l2norm: Bool
    let weight: FloatBuffer   // [9][C][outPadded]
    let bias: FloatBuffer

    /// The kernel around its tables, derived at load time or linked into flash.
    init(shape: Architecture.HeadShape, weight: FloatBuffer, bias: FloatBuffer) {
        channels = shape.channels
        inStride = shape.inStride
        outPadded = shape.outPadded
        locCount = shape.locCount
        confCount = shape.confCount
        l2norm = shape.l2norm
        self.weight = weight
        self.bias = bias
    }

    /// Per pixel of an input row stored on `grid`, the factor that turns a stored
    /// element into the L2-normalised input: scale/(sqrt(Σ x²) + 1e-10), x = stored · scale.
    /// Σ x² is Σ stored² (16 channels a vector, halves added pairwise, a fixed order on
    /// every target) times scale²: on the int8 path every square and sum is an integer
    /// below 2^24, so exact. (One pixel's channels summed one after another waited out an
    /// add's latency at each: 5% of a frame on x86, issue 22.)
    func inverseNorms<I: ActivationElement>(row: UnsafePointer<I>, width: Int, grid: ActivationScale,
                                            into out: UnsafeMutablePointer<Float>) {
        let sc = grid.scale, sc2 = sc * sc, lut = int8Values.p
        for x in 0..<width {
            let p = row + x &* inStride
            var acc = SIMD16<Float>()
            var c = 0
            while c + 16 <= channels {
                let v = I.stored16(p + c)
                acc.addProduct(v, v)
                c &+= 16
            }
            let eight = acc.lowHalf + acc.highHalf, four = eight.lowHalf + eight.highHalf
            let two = four.lowHalf + four.highHalf
            var s = two[0] + two[1]
            while c < channels {
                let v = I.stored(p, c, table: lut)
                s += v * v
                c &+= 1
            }
            out[x] = sc / ((s * sc2).squareRoot() + 1e-10)
        }
    }

    /// Output pixels per pass: eight independent accumulators per output vector keep
    /// both FMA pipes busy, and share every weight load.
    static let pixels = 8

    /// Floats `run` needs after its output row: the scaled inputs of one pass, 3 rows ×
    /// (pixels + 2) columns × channels.
    var stagingFloats: Int { 3 * (HeadRowKernel.pixels + 2) * channels }

    /// Output row `y` (width × outPadded floats: loc then conf channels). `rows[ky]` is
    /// input row y−1+ky or nil outside the map; `norms[ky]` its factors (inverseNorms)
    /// with L2Norm; without, every stored element is multiplied by `scale`. `staging`
    /// holds `stagingFloats`.
    ///
    /// Eight output pixels at a time: their 3 × 10 input pixels are converted and scaled
    /// once into `staging` (zeros outside the map), then each 16 (or 8) output channels
    /// take one pass of multiply-adds broadcast from it. The products and their order are
    /// those of the plain convolution: stored · factor, times the weight, over ky, kx, c.
    func run<I: ActivationElement>(width: Int, rows: ThreeRows<I>, norms: ThreeRows<Float>,
                                   scale: Float, out: UnsafeMutablePointer<Float>,
                                   staging: UnsafeMutablePointer<Float>) {
        var x = 0
        while x < width {
            runPass(x: x, width: width, rows: rows, norms: norms, scale: scale, out: out + x &* outPadded,
                    staging: staging)
            x += HeadRowKernel.pixels
        }
    }

    /// One pass of the same row: output pixels x ..< x + `pixels` (fewer at the row's
    /// end) into `out` (that many × outPadded floats). A consumer that uses each pass at
    /// once (the head stage decodes it) needs room for one pass, not the whole row.
    func runPass<I: ActivationElement>(x: Int, width: Int, rows: ThreeRows<I>, norms: ThreeRows<Float>,
                                       scale: Float, out: UnsafeMutablePointer<Float>,
                                       staging: UnsafeMutablePointer<Float>) {
        // Literal channel counts make the pixel offsets in `pass` constants.
        switch channels {
        case 32: runPass(channels: 32, x: x, width: width, rows: rows, norms: norms, scale: scale, out: out,
                         staging: staging)
        case 64: runPass(channels: 64, x: x, width: width, rows: rows, norms: norms, scale: scale, out: out,
                         staging: staging)
        default: runPass(channels: channels, x: x, width: width, rows: rows, norms: norms, scale: scale, out: out,
                         staging: staging)
        }
    }

    @inline(__always)
    private func runPass<I: ActivationElement>(channels c: Int, x: Int, width: Int, rows: ThreeRows<I>,
                                               norms: ThreeRows<Float>, scale: Float, out: UnsafeMutablePointer<Float>,
                                               staging: UnsafeMutablePointer<Float>) {
        let columns = HeadRowKernel.pixels + 2, lut = int8Values.p
        let has = (rows.r0 != nil, rows.r1 != nil, rows.r2 != nil)
        let count = min(HeadRowKernel.pixels, width - x)
        // Column q of row ky is input column x − 1 + q, times its factor.
        for ky in 0..<3 {
            guard let r = rows[ky] else { continue }
            let nrm = norms[ky]
            for q in 0..<columns {
                let dst = staging + (ky &* columns &+ q) &* c
                let ix = x - 1 + q
                guard ix >= 0 && ix < width else { dst.update(repeating: 0, count: c); continue }
                let f = l2norm ? nrm![ix] : scale
                let src = r + ix &* inStride
                var ci = 0
                while ci + 16 <= c { store16(I.stored16(src + ci) * f, dst + ci); ci &+= 16 }
                while ci < c { dst[ci] = I.stored(src, ci, table: lut) * f; ci &+= 1 }
            }
        }
        #if RNNPOOL_FIRMWARE
        // The Cortex-M4: a C loop keeps two pixels' eight output channels in registers
        // (scripts/m4/dsp_kernels.c), the same fused multiply-adds in the same order.
        m4_head_pixels(staging, Int32(columns), Int32(c), (has.0 ? 1 : 0) | (has.1 ? 2 : 0) | (has.2 ? 4 : 0),
                       weight.p, Int32(outPadded), bias.p, out, Int32(count))
        #else
        var offset = 0
        // Eight pixels' accumulators of 16 channels are 16 ymm registers on AVX2, all it
        // has: they spilled at every multiply-add, so there a pass takes 8 channels (the
        // same sums in the same order); AVX-512 keeps 16.
        while HeadRowKernel.sixteenChannelPasses && offset + 16 <= outPadded {
            pass(SIMD16<Float>.self, channels: c, offset: offset, count: count, has: has, staging: staging, out: out)
            offset += 16
        }
        while !HeadRowKernel.sixteenChannelPasses && offset + 8 < outPadded {
            pass(SIMD8<Float>.self, channels: c, offset: offset, count: count, has: has, staging: staging, out: out)
            offset += 8
        }
        if offset < outPadded {
            pass(SIMD8<Float>.self, channels: c, offset: offset, count: count, has: has, staging: staging, out: out)
        }
        #endif
    }

    #if RNNPOOL_AVX512
    static let sixteenChannelPasses = true
    #else
    static let sixteenChannelPasses = false
    #endif

    @inline(__always)
    private func pass<V: SIMD>(_: V.Type, channels c: Int, offset: Int, count: Int, has: (Bool, Bool, Bool),
                               staging: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>)
    where V.Scalar == Float {
        let op = outPadded, w = weight.p + offset, columns = HeadRowKernel.pixels + 2
        let b = UnsafeRawPointer(bias.p + offset).loadUnaligned(as: V.self)
        var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b
        for ky in 0..<3 {
            guard ky == 0 ? has.0 : (ky == 1 ? has.1 : has.2) else { continue }
            for kx in 0..<3 {
                // Pixel i reads staged column i + kx.
                let s = staging + (ky &* columns &+ kx) &* c
                let wt = w + (ky &* 3 &+ kx) &* c &* op
                for ci in 0..<c {
                    let wv = UnsafeRawPointer(wt + ci &* op).loadUnaligned(as: V.self)
                    let v = s + ci
                    a0.addProduct(v[0], wv)
                    a1.addProduct(v[c], wv)
                    a2.addProduct(v[2 &* c], wv)
                    a3.addProduct(v[3 &* c], wv)
                    a4.addProduct(v[4 &* c], wv)
                    a5.addProduct(v[5 &* c], wv)
                    a6.addProduct(v[6 &* c], wv)
                    a7.addProduct(v[7 &* c], wv)
                }
            }
        }
        func store(_ v: V, _ i: Int) {
            guard i < count else { return }
            let index: Int = i &* op &+ offset
            UnsafeMutableRawPointer(out + index).storeBytes(of: v, as: V.self)
        }
        store(a0, 0); store(a1, 1); store(a2, 2); store(a3, 3)
        store(a4, 4); store(a5, 5); store(a6, 6); store(a7, 7)
    }
}
