#if RNNPOOL_HOST_X86_64
import CKernels
#endif

/// One output row of a detection head (NETWORK.md §5): optional L2Norm of the input,
/// then the loc and conf 3×3 convolutions (padding 1) computed together. The L2Norm
/// gain g is folded into the weights at load time, and 1/(‖x‖+1e-10) is applied per
/// tap from per-pixel factors (three rows of them, made for each output row), so
/// normalised rows are never stored.
///
/// On the int8 path the weights are int16 integers (QuantizedHead) and every sum an
/// exact int32 of int8 inputs (`integerPass`): the same numbers from the AVX2 kernel, the
/// Cortex-M4's SMLAD kernel and the portable loop.
struct HeadRowKernel {
    let channels: Int
    let inStride: Int
    let outPadded: Int
    let locCount: Int
    let confCount: Int
    let l2norm: Bool
    /// Float path: [9][C][outPadded]. Nil on the int8 path, which reads `integerWeight`.
    let weight: FloatBuffer?
    let bias: FloatBuffer
    /// The int8 path's weights (QuantizedHead): [9][pairs][outPadded][2] int16 on the host,
    /// `firmwareIntegerTable`'s layout in the firmware's flash; and per output channel the
    /// factor that turns a sum back into a value. Nil on the float path.
    let integerWeight: Int16Buffer?
    let integerScale: FloatBuffer?
    #if RNNPOOL_HOST_X86_64
    /// The integer pass as the AVX2 C kernel (where the CPU has AVX2 and FMA, and
    /// RNNPOOL_NO_VNNI is not set); false: the portable loop, same numbers.
    private(set) var integerKernel: Bool
    #endif
    #if RNNPOOL_HOST
    /// The portable loop's copy of the integer weights, widened to Int32 in the float
    /// path's layout ([9][C][outPadded]), so that eight pixels share each weight vector
    /// as the float passes do (the pair layout cost it a shuffle and two widenings a pair
    /// and pixel: a quarter of a frame slower than the float heads). Made only where the
    /// portable loop runs.
    private(set) var integerWide: WeightBuffer<Int32>?
    #endif

    /// The kernel around its tables, derived at load time or linked into flash: float
    /// `weight` (float path) or `integerWeight` with its `integerScale` (int8 path).
    init(shape: Architecture.HeadShape, weight: FloatBuffer?, bias: FloatBuffer,
         integerWeight: Int16Buffer? = nil, integerScale: FloatBuffer? = nil) {
        precondition((weight == nil) != (integerWeight == nil) && (integerWeight == nil) == (integerScale == nil),
                     "a head takes float weights or integer weights with their scales")
        channels = shape.channels
        inStride = shape.inStride
        outPadded = shape.outPadded
        locCount = shape.locCount
        confCount = shape.confCount
        l2norm = shape.l2norm
        self.weight = weight
        self.bias = bias
        self.integerWeight = integerWeight
        self.integerScale = integerScale
        #if RNNPOOL_HOST_X86_64
        integerKernel = rc_has_avx2_fma() != 0
        integerWide = integerKernel ? nil : integerWeight.map { HeadRowKernel.widened($0, channels: channels, outPadded: outPadded) }
        #elseif RNNPOOL_HOST
        integerWide = integerWeight.map { HeadRowKernel.widened($0, channels: channels, outPadded: outPadded) }
        #endif
    }

    #if RNNPOOL_HOST
    /// The same kernel on the portable loop, as a CPU without AVX2 runs it (to test and
    /// measure that path on one that has it).
    func portableLoop() -> HeadRowKernel {
        var k = self
        #if RNNPOOL_HOST_X86_64
        k.integerKernel = false
        #endif
        if k.integerWide == nil {
            k.integerWide = integerWeight.map { HeadRowKernel.widened($0, channels: channels, outPadded: outPadded) }
        }
        return k
    }
    #endif

    #if RNNPOOL_HOST
    private static func widened(_ iw: Int16Buffer, channels c: Int, outPadded op: Int) -> WeightBuffer<Int32> {
        let pairs = (c + 1) / 2
        var wide = [Int32](repeating: 0, count: 9 * c * op)
        for t in 0..<9 {
            for ci in 0..<c {
                for o in 0..<op { wide[(t * c + ci) * op + o] = Int32(iw.p[((t * pairs + ci / 2) * op + o) * 2 + ci % 2]) }
            }
        }
        return WeightBuffer(wide)
    }
    #endif

    /// Channel pairs of the integer weights.
    var pairs: Int { (channels + 1) / 2 }

    /// Int16 entries of the integer weight table.
    static func integerWeightCount(shape: Architecture.HeadShape) -> Int {
        9 * ((shape.channels + 1) / 2) * shape.outPadded * 2
    }

    /// The integer weights as the firmware's SMLAD kernel reads them from flash: per tap,
    /// per group of 4 output channels, per channel pair, the 4 channels' weight pairs
    /// ([9][outPadded / 4][pairs][4][2] int16), so that one pass over a group's pairs
    /// walks the table in order (one LDM of four words a pair), as little-endian bytes
    /// (both targets are little-endian).
    func firmwareIntegerTable() -> [Int8] {
        guard let iw = integerWeight else { return [] }
        let np = pairs, op = outPadded
        var bytes = [Int8](repeating: 0, count: 2 * iw.count)
        for t in 0..<9 {
            for o in 0..<op {
                for p in 0..<np {
                    for h in 0..<2 {
                        let v = UInt16(bitPattern: iw.p[((t * np + p) * op + o) * 2 + h])
                        let to = 2 * ((((t * (op / 4) + o / 4) * np + p) * 4 + o % 4) * 2 + h)
                        bytes[to] = Int8(bitPattern: UInt8(truncatingIfNeeded: v))
                        bytes[to + 1] = Int8(bitPattern: UInt8(truncatingIfNeeded: v >> 8))
                    }
                }
            }
        }
        return bytes
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

    /// Output channels the integer kernels compute together (AVX2's 8 int32 lanes, the
    /// M4's four SMLAD sums): a channel range given to `runPass` is whole groups.
    #if RNNPOOL_FIRMWARE
    static let channelGroup = 4
    #else
    static let channelGroup = 8
    #endif

    /// The first output channel of the group that holds the first conf channel: the
    /// channels before it are loc only, needed just where an anchor scores (HeadStage).
    var scoreStart: Int { locCount / HeadRowKernel.channelGroup * HeadRowKernel.channelGroup }

    /// Whether a pass can compute its scores first and its loc-only groups later
    /// (`runPass(outputs:stage:)`): the int8 path, with at least one loc-only group.
    var splitsScores: Bool { integerWeight != nil && scoreStart > 0 }

    /// Output pixels per pass: eight independent accumulators per output vector keep
    /// both FMA pipes busy, and share every weight load.
    static let pixels = 8

    /// Floats `run` needs after its output row: the scaled inputs of one pass, 3 rows ×
    /// (pixels + 2) columns × channels (the integer pass's int16 staging takes half).
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
    /// `outputs` (the int8 path only, where `splitsScores`): only those output channels,
    /// a range of whole `channelGroup`s; `stage: false` reuses the window this pass's
    /// previous call staged (nothing may have written `staging` in between).
    func runPass<I: ActivationElement>(x: Int, width: Int, rows: ThreeRows<I>, norms: ThreeRows<Float>,
                                       scale: Float, out: UnsafeMutablePointer<Float>,
                                       staging: UnsafeMutablePointer<Float>, outputs: Range<Int>? = nil,
                                       stage: Bool = true) {
        if I.self == Int8.self, let iw = integerWeight, let k = integerScale {
            integerPass(x: x, width: width, rows: rows.rebound(to: Int8.self), norms: norms, weights: iw.p, scale: k.p,
                        out: out, staging: UnsafeMutableRawPointer(staging), outputs: outputs ?? 0..<outPadded,
                        stage: stage)
            return
        }
        precondition(outputs == nil, "the float path computes every output channel")
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
                       weight!.p, Int32(outPadded), bias.p, out, Int32(count))
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
        let op = outPadded, w = weight!.p + offset, columns = HeadRowKernel.pixels + 2
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

    // MARK: - The int8 path: integer sums

    /// One pass on the int8 path (NETWORK.md §7): output pixels x ..< x + `pixels` (fewer
    /// at the row's end). Per output channel, without L2Norm one int32 sum over the taps
    /// and channels, float(Σ) · scale + bias; with it a sum per tap, folded into a float
    /// sum by one fused multiply-add with the tap pixel's factor (ky, then kx), that sum
    /// · scale + bias. Taps outside the map add nothing. `staging`: the C kernels' int16
    /// copy of the window (3 × (pixels + 2) × pairs × 2), the portable loop's zero pixel.
    private func integerPass(x: Int, width: Int, rows: ThreeRows<Int8>, norms: ThreeRows<Float>,
                             weights: UnsafePointer<Int16>, scale: UnsafePointer<Float>,
                             out: UnsafeMutablePointer<Float>, staging: UnsafeMutableRawPointer,
                             outputs: Range<Int>, stage: Bool) {
        let count = min(HeadRowKernel.pixels, width - x)
        #if RNNPOOL_FIRMWARE
        m4_head_int16(rows.r0, rows.r1, rows.r2, norms.r0, norms.r1, norms.r2, l2norm ? 1 : 0, Int32(inStride),
                      Int32(width), Int32(channels), Int32(x), Int32(count), weights, Int32(outPadded),
                      Int32(outputs.lowerBound), Int32(outputs.upperBound), scale, bias.p, stage ? 1 : 0,
                      staging.assumingMemoryBound(to: Int16.self), out)
        return
        #else
        #if RNNPOOL_HOST_X86_64
        if integerKernel {
            rc_head_int16_avx2(rows.r0, rows.r1, rows.r2, norms.r0, norms.r1, norms.r2, l2norm ? 1 : 0, inStride,
                               width, channels, x, count, weights, outPadded, outputs.lowerBound, outputs.upperBound,
                               scale, bias.p, stage ? 1 : 0, staging.assumingMemoryBound(to: Int16.self), out)
            return
        }
        #endif
        widePass(x: x, count: count, width: width, rows: rows, norms: norms, scale: scale, out: out,
                 zeros: staging.assumingMemoryBound(to: Int8.self), outputs: outputs)
        #endif
    }

    #if RNNPOOL_HOST
    /// The portable integer pass: eight pixels' Int32 sums per 8 output channels, each
    /// widened weight vector multiplied by every pixel's input (`zeros`, inStride zero
    /// bytes, stand for taps outside the row and pixels past `count`: they add 0).
    private func widePass(x: Int, count: Int, width: Int, rows: ThreeRows<Int8>, norms: ThreeRows<Float>,
                          scale: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, zeros: UnsafeMutablePointer<Int8>,
                          outputs: Range<Int>) {
        zeros.update(repeating: 0, count: inStride)
        let op = outPadded, c = channels, wide = integerWide!.p
        var o0 = outputs.lowerBound
        while o0 < outputs.upperBound {
            var s0 = SIMD8<Int32>(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0
            var f0 = SIMD8<Float>(), f1 = f0, f2 = f0, f3 = f0, f4 = f0, f5 = f0, f6 = f0, f7 = f0
            for ky in 0..<3 {
                guard let r = rows[ky] else { continue }
                for kx in 0..<3 {
                    @inline(__always) func pixel(_ i: Int) -> UnsafePointer<Int8> {
                        let ix: Int = x &+ i &- 1 &+ kx
                        guard i < count && ix >= 0 && ix < width else { return UnsafePointer(zeros) }
                        return r + ix &* inStride
                    }
                    let p0 = pixel(0), p1 = pixel(1), p2 = pixel(2), p3 = pixel(3)
                    let p4 = pixel(4), p5 = pixel(5), p6 = pixel(6), p7 = pixel(7)
                    let tap: Int = ky &* 3 &+ kx
                    let first: Int = tap &* c &* op &+ o0
                    let wt = wide + first
                    for ci in 0..<c {
                        let step: Int = ci &* op
                        let w = UnsafeRawPointer(wt + step).loadUnaligned(as: SIMD8<Int32>.self)
                        s0 &+= w &* Int32(p0[ci]); s1 &+= w &* Int32(p1[ci])
                        s2 &+= w &* Int32(p2[ci]); s3 &+= w &* Int32(p3[ci])
                        s4 &+= w &* Int32(p4[ci]); s5 &+= w &* Int32(p5[ci])
                        s6 &+= w &* Int32(p6[ci]); s7 &+= w &* Int32(p7[ci])
                    }
                    guard l2norm, let nrm = norms[ky] else { continue }
                    @inline(__always) func factor(_ i: Int) -> SIMD8<Float> {
                        let ix: Int = x &+ i &- 1 &+ kx
                        guard i < count && ix >= 0 && ix < width else { return SIMD8() }
                        return SIMD8(repeating: nrm[ix])
                    }
                    f0.addProduct(SIMD8<Float>(s0), factor(0)); f1.addProduct(SIMD8<Float>(s1), factor(1))
                    f2.addProduct(SIMD8<Float>(s2), factor(2)); f3.addProduct(SIMD8<Float>(s3), factor(3))
                    f4.addProduct(SIMD8<Float>(s4), factor(4)); f5.addProduct(SIMD8<Float>(s5), factor(5))
                    f6.addProduct(SIMD8<Float>(s6), factor(6)); f7.addProduct(SIMD8<Float>(s7), factor(7))
                    s0 = SIMD8(); s1 = s0; s2 = s0; s3 = s0; s4 = s0; s5 = s0; s6 = s0; s7 = s0
                }
            }
            let k = UnsafeRawPointer(scale + o0).loadUnaligned(as: SIMD8<Float>.self)
            let b = UnsafeRawPointer(bias.p + o0).loadUnaligned(as: SIMD8<Float>.self)
            @inline(__always) func store(_ v: SIMD8<Float>, _ i: Int) {
                guard i < count else { return }
                let scaled = v * k
                let index: Int = i &* op &+ o0
                UnsafeMutableRawPointer(out + index).storeBytes(of: scaled + b, as: SIMD8<Float>.self)
            }
            if l2norm {
                store(f0, 0); store(f1, 1); store(f2, 2); store(f3, 3); store(f4, 4); store(f5, 5); store(f6, 6); store(f7, 7)
            } else {
                store(SIMD8<Float>(s0), 0); store(SIMD8<Float>(s1), 1); store(SIMD8<Float>(s2), 2); store(SIMD8<Float>(s3), 3)
                store(SIMD8<Float>(s4), 4); store(SIMD8<Float>(s5), 5); store(SIMD8<Float>(s6), 6); store(SIMD8<Float>(s7), 7)
            }
            o0 &+= 8
        }
    }
    #endif
}
