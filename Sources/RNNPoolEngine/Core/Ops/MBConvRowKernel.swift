#if RNNPOOL_HOST_X86_64
import CKernels
#endif

/// One output row of a fused MBConv block (NETWORK.md §4): 1×1 expand + ReLU6, 3×3
/// depthwise (stride s, zero padding) + ReLU6, 1×1 linear projection, residual.
///
/// The expanded map is never stored whole, not even as a ring of rows: for each group
/// of 16 expanded channels, the kernel expands just the 3 input rows it needs into a
/// 3 × width × 16 scratch, runs the depthwise taps and folds the group straight into the
/// projection accumulators. Stride-1 blocks thus expand each input row three times
/// (extra multiply-adds) in exchange for a t-times smaller line buffer: the trade that
/// keeps the whole pipeline inside the RAM cap.
///
/// The row is computed in tiles of `tileColumns` output pixels, each expanding only the
/// input columns its window reads (one more on each side, recomputed by the neighbour
/// tile), so the scratch does not grow with the frame's width: a 640-wide input needs
/// the same scratch as a 320-wide one. Every output value is the same sum in the same
/// order as with one tile per row.
struct MBConvRowKernel {
    let shape: Architecture.BlockShape
    let midPadded: Int
    let inStride: Int      // floats per input pixel (cin rounded up to 8)
    let outStride: Int     // floats per output pixel (cout rounded up to 8)
    /// Float path: the float weights, [cin][midPadded]. Int8 path: `QuantizedExpand`'s
    /// integers (as floats), with `expandScale` turning their sums back into values.
    let expandWeight: FloatBuffer?
    /// [midPadded] s_in · s_m on the int8 path (QuantizedExpand); nil on the float path.
    let expandScale: FloatBuffer?
    let expandBias: FloatBuffer
    let dwWeight: FloatBuffer
    let dwBias: FloatBuffer
    /// Float path: the projection weights, [midPadded][outStride]. nil on the int8 path,
    /// which projects with `projection`'s integers.
    let projectWeight: FloatBuffer?
    let projectBias: FloatBuffer
    /// The int8 path's projection as exact integer sums (QuantizedProjection); nil on
    /// the float path.
    var projection: IntegerProjection?

    /// The firmware's int8 path: the expand weights as int8 in flash, in the DSP
    /// kernel's layout (`int8ExpandTable`), in place of `expandWeight`. nil on the host.
    let expandInt8: UnsafePointer<Int8>?

    /// The grid of the int8 input the expand's scales were made for (1 on the float path).
    let inputScale: Float
    #if RNNPOOL_HOST_X86_64
    /// The int8 expand as a C kernel (AVX-512 VNNI or AVX2), where the CPU has one
    /// (nil: the Swift loop).
    var integerExpand: IntegerExpand?
    #endif

    /// The kernel around its tables (in the layouts of `shape`'s padded sizes), however
    /// they were made: derived from a model file at load time or linked into flash.
    /// `inputScale`: the grid of the block's int8 input on the int8 path, nil on the float
    /// path. The projection: float `projectWeight` (float path) or `projection` (int8 path).
    init(shape s: Architecture.BlockShape, inputScale: Float?, expandWeight: FloatBuffer?, expandScale: FloatBuffer?,
         expandBias: FloatBuffer, dwWeight: FloatBuffer, dwBias: FloatBuffer,
         projectWeight: FloatBuffer?, projection: IntegerProjection? = nil, projectBias: FloatBuffer,
         expandInt8: UnsafePointer<Int8>? = nil) {
        precondition((projectWeight == nil) != (projection == nil) && (projection != nil) == (inputScale != nil),
                     "a block projects with float weights (float path) or integer weights (int8 path)")
        shape = s
        self.expandInt8 = expandInt8
        midPadded = s.midPadded
        inStride = s.inStride
        outStride = s.outStride
        self.inputScale = inputScale ?? 1
        self.expandWeight = expandWeight
        self.expandScale = expandScale
        self.expandBias = expandBias
        self.dwWeight = dwWeight
        self.dwBias = dwBias
        self.projectWeight = projectWeight
        self.projection = projection
        self.projectBias = projectBias
        #if RNNPOOL_HOST_X86_64
        integerExpand = IntegerExpand.forBlock(integers: expandWeight, scale: expandScale, cin: s.cin,
                                               midPadded: midPadded)
        #endif
    }

    /// Expanded channels per group (one SIMD16).
    static let group = 16

    /// The int8 path's grid for the depthwise outputs the projection reads: ReLU6 bounds
    /// them to [0, 6], so 6/32767 puts every one on an int16 (QuantizedProjection).
    static let depthwiseGrid = ActivationScale(6.0 / 32767.0)

    /// The int8 expand weights as the firmware's DSP kernel reads them (flash): per
    /// group of 16 expanded channels, per channel l of it, the cin input weights rounded
    /// up to a multiple of 4 with zeros: [midPadded / 16][16][cin4] int8. `integers`:
    /// QuantizedExpand's [cin][midPadded] integers (as floats, within ±127).
    static func int8ExpandTable(integers: FloatBuffer, cin: Int, midPadded mp: Int) -> [Int8] {
        let cin4 = (cin + 3) & ~3
        var table = [Int8](repeating: 0, count: int8ExpandTableBytes(cin: cin, midPadded: mp))
        for m in 0..<mp {
            for c in 0..<cin { table[m * cin4 + c] = Int8(integers.p[c * mp + m]) }
        }
        return table
    }

    static func int8ExpandTableBytes(cin: Int, midPadded: Int) -> Int { midPadded * ((cin + 3) & ~3) }

    /// Scratch floats a tile may use: 8 KiB, what the RNNPool kernel and the widest
    /// heads need anyway (the network's scratch is the largest kernel's).
    static let tileScratchFloats = 2048

    /// Output pixels per tile: the row split into the fewest tiles whose scratch fits
    /// `tileScratchFloats`, all of about the same width. A tile expands the columns
    /// its windows read beyond its own (2 at stride 1, 1 at stride 2) again: at 320×240
    /// 10% more expand work than whole rows in blocks 0–1, for a scratch that no longer
    /// grows with the frame's width.
    var tileColumns: Int {
        let s = shape.stride, fixed = 3 * MBConvRowKernel.group * 3 + 8 * 16
        // 3 rows × (s·(T−1) + 3) columns × 16 floats + T × outStride sums + staging.
        let perPixel = 3 * MBConvRowKernel.group * s + outStride
        let most = max(1, (MBConvRowKernel.tileScratchFloats - fixed + 3 * MBConvRowKernel.group * s) / perPixel)
        let tiles = (shape.wout + most - 1) / most
        return (shape.wout + tiles - 1) / tiles
    }

    /// Input columns a tile reads at most (its windows' span).
    var tileInputColumns: Int { min(shape.win, shape.stride * (tileColumns - 1) + 3) }

    /// Scratch floats: 3 expanded tile rows of one 16-channel group, (int8 path) the
    /// tile's float accumulators, and 16 channels of 8 input pixels as floats (`staged`).
    var scratchFloats: Int {
        MBConvScratch.floats(tileColumns: tileColumns, tileInputColumns: tileInputColumns, outStride: outStride)
    }

    /// Computes output row `yo`. `inputRow(r)` gives input row r (0 ≤ r < hin), stored
    /// as `I` on grid `inGrid`; the row is stored as `O` on `outGrid`.
    ///
    /// Per tile, per 16-channel group g: expand the tile's columns of the (up to) three
    /// input rows the depthwise window needs, run the depthwise taps, fold the result
    /// into the tile's projection accumulators.
    func run<I: ActivationElement, O: ActivationElement>(
        row yo: Int, inputRow: (Int) -> UnsafePointer<I>, out: UnsafeMutablePointer<O>,
        scratch: UnsafeMutablePointer<Float>, inGrid: ActivationScale, outGrid: ActivationScale) {
        precondition(inGrid.scale == inputScale, "expand weights were scaled for another input grid")
        precondition(expandWeight == nil || (expandScale != nil) == (I.self == Int8.self),
                     "int8 expand weights need int8 inputs, float weights float inputs")
        precondition((projection != nil) == (I.self == Int8.self), "the int8 path's projection needs int8 inputs")
        let rows = ThreeRows(first: shape.stride * yo - 1, height: shape.hin, row: inputRow)
        let present = (rows.r0 != nil, rows.r1 != nil, rows.r2 != nil)
        let span = tileInputColumns
        var x0 = 0
        while x0 < shape.wout {
            let tile = Tile(first: x0, count: min(tileColumns, shape.wout - x0), shape: shape)
            // Float rows accumulate in place; int8 tiles in scratch, stored once at the end.
            let area = MBConvScratch(scratch, tileColumns: tileColumns, tileInputColumns: span, outStride: outStride,
                                     sumsInto: O.self == Float.self ? UnsafeMutableRawPointer(out + x0 &* outStride) : nil)
            startAccumulators(area.sums, tile: tile, residual: shape.residual ? inputRow(yo) : nil,
                              inputScale: inGrid.scale)
            var g = 0
            while g < midPadded {
                for ky in 0..<3 {
                    guard let src = rows[ky] else { continue }
                    expandGroup(g, row: src + tile.firstInput &* inStride, pixels: tile.inputCount,
                                into: area.expanded + ky &* span, staged: area.staged, inputScale: inGrid.scale)
                }
                depthwiseProject(group: g, expanded: area.expanded, span: span, tile: tile, rows: present,
                                 sums: area.sums)
                g += MBConvRowKernel.group
            }
            if let projection {
                finishIntegerSums(projection, area.sums, tile: tile, residual: shape.residual ? inputRow(yo) : nil,
                                  inputScale: inGrid.scale)
            }
            if O.self != Float.self { storeTile(area.sums, pixels: tile.count, to: out + x0 &* outStride, grid: outGrid) }
            x0 &+= tile.count
        }
    }

    /// Output pixels first ..< first + count of a row, and the input columns their 3×3
    /// windows read (clipped to the row: the zero padding is never expanded).
    struct Tile {
        let first: Int, count: Int
        let firstInput: Int, inputCount: Int

        init(first: Int, count: Int, shape s: Architecture.BlockShape) {
            self.first = first
            self.count = count
            firstInput = max(0, s.stride * first - 1)
            inputCount = min(s.win, s.stride * (first + count - 1) + 2) - firstInput
        }
    }

    // MARK: - Phase 1: accumulators

    /// Every output pixel's accumulators start at the projection bias, plus the
    /// residual input (same row) when the block has one. The int8 path's start at an
    /// integer 0 (float +0's bits): bias and residual come after its sums
    /// (`finishIntegerSums`).
    @inline(__always)
    private func startAccumulators<I: ActivationElement>(_ sums: UnsafeMutablePointer<Float>, tile: Tile,
                                                         residual: UnsafePointer<I>?, inputScale sIn: Float) {
        let cp = outStride, pb = projectBias.p
        if projection != nil {
            sums.update(repeating: 0, count: tile.count &* cp)
            return
        }
        for i in 0..<tile.count {
            let o = sums + i &* cp
            o.update(from: pb, count: cp)
            if let residual { addResidual(residual + (tile.first &+ i) &* inStride, to: o, inputScale: sIn) }
        }
    }

    /// o[c] += r[c] · s_in for the block's cin channels (the residual input, same pixel):
    /// eight at a time on the host, each lane the scalar's product and sum (the Cortex-M4
    /// computes a vector lane by lane, with more moves than the scalar loop).
    @inline(__always)
    private func addResidual<I: ActivationElement>(_ r: UnsafePointer<I>, to o: UnsafeMutablePointer<Float>,
                                                   inputScale sIn: Float) {
        var c = 0
        #if !RNNPOOL_FIRMWARE
        while c + 8 <= shape.cin {
            store8(load8(o + c) + I.stored8(r + c) * sIn, o + c)
            c &+= 8
        }
        #endif
        while c < shape.cin {
            o[c] += r[c].stored * sIn
            c &+= 1
        }
    }

    /// The int8 path's tile after its last group: each pixel's int32 sums turned into
    /// values (float(Σ) · s_d·s_o + bias), then plus the residual input, in place.
    @inline(__always)
    private func finishIntegerSums<I: ActivationElement>(_ projection: IntegerProjection,
                                                         _ sums: UnsafeMutablePointer<Float>, tile: Tile,
                                                         residual: UnsafePointer<I>?, inputScale sIn: Float) {
        let cp = outStride
        for i in 0..<tile.count {
            let o = sums + i &* cp
            projection.finish(UnsafeMutableRawPointer(o), bias: projectBias.p, outStride: cp)
            if let residual { addResidual(residual + (tile.first &+ i) &* inStride, to: o, inputScale: sIn) }
        }
    }

    // MARK: - Phase 2: expand one group of one input row

    /// Expanded channels g ..< g+16 of `pixels` input pixels from `src` into `dst`
    /// (`pixels` vectors): the integer C kernel (VNNI or AVX2) where one was chosen, else
    /// the portable loop;
    /// t = 1 copies the input.
    @inline(__always)
    private func expandGroup<I: ActivationElement>(_ g: Int, row src: UnsafePointer<I>, pixels: Int,
                                                   into dst: UnsafeMutablePointer<SIMD16<Float>>,
                                                   staged: UnsafeMutablePointer<Float>, inputScale sIn: Float) {
        #if RNNPOOL_FIRMWARE
        if I.self == Int8.self, let table = expandInt8, let ks = expandScale {
            let cin4 = (shape.cin + 3) & ~3
            m4_expand16_int8(UnsafeRawPointer(src).assumingMemoryBound(to: Int8.self), Int32(inStride), Int32(pixels),
                             Int32(cin4), table + g &* cin4, ks.p + g, expandBias.p + g,
                             UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Float.self))
            return
        }
        #endif
        guard let ew = expandWeight else {
            copyGroup(g, row: src, pixels: pixels, into: dst, inputScale: sIn)
            return
        }
        #if RNNPOOL_HOST_X86_64
        if I.self == Int8.self, let v = integerExpand, let ks = expandScale {
            v.expand(group: g, row: UnsafeRawPointer(src).assumingMemoryBound(to: Int8.self),
                     pixelStride: inStride, pixels: pixels, scale: ks.p, bias: expandBias.p, into: dst)
            return
        }
        #endif
        expandGroupPortable(g, weights: ew, row: src, pixels: pixels, into: dst, staged: staged)
    }

    /// The portable expand. Float path: sums start at the bias. Int8 path: integer sums
    /// (exact in float), then · scale + bias, the arithmetic of the C kernels. (On the
    /// float path a · 1 + 0 is a itself: the same finish for both.)
    @inline(__always)
    private func expandGroupPortable<I: ActivationElement>(_ g: Int, weights ew: FloatBuffer, row src: UnsafePointer<I>,
                                                           pixels win: Int, into dst: UnsafeMutablePointer<SIMD16<Float>>,
                                                           staged: UnsafeMutablePointer<Float>) {
        let cin = shape.cin, mp = midPadded, lut = int8Values.p
        let wg = ew.p + g
        let bias = load16(expandBias.p + g)
        let k = expandScale.map { load16($0.p + g) } ?? SIMD16(repeating: 1)
        let b = expandScale == nil ? bias : SIMD16<Float>()
        let kb = expandScale == nil ? SIMD16<Float>() : bias
        @inline(__always) func finish(_ a: SIMD16<Float>) -> SIMD16<Float> { relu6(a * k + kb) }
        // Eight pixels at a time (a core with two FMA pipes of latency 4 needs eight
        // independent chains to stay busy, and all eight share each weight load), then
        // four, then one for the rest of the row.
        @inline(__always) func expand(_ n: Int, at x: Int) {
            // n is a literal at each call: the unused chains fold away.
            let p0 = src + x &* inStride, p1 = p0 + inStride, p2 = p1 + inStride, p3 = p2 + inStride
            let p4 = p3 + inStride, p5 = p4 + inStride, p6 = p5 + inStride, p7 = p6 + inStride
            var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b
            // 16 channels of each pixel converted as one vector into `staged`: the
            // multiply-adds then broadcast from fixed offsets, instead of a byte load
            // and a table load each, whose address arithmetic serialised the loop.
            var c0 = 0
            while c0 + 16 <= cin {
                store16(I.stored16(p0 + c0), staged); store16(I.stored16(p1 + c0), staged + 16)
                store16(I.stored16(p2 + c0), staged + 32); store16(I.stored16(p3 + c0), staged + 48)
                if n > 4 {
                    store16(I.stored16(p4 + c0), staged + 64); store16(I.stored16(p5 + c0), staged + 80)
                    store16(I.stored16(p6 + c0), staged + 96); store16(I.stored16(p7 + c0), staged + 112)
                }
                let wc = wg + c0 &* mp
                for k in 0..<16 {
                    let w = load16(wc + k &* mp), v = staged + k
                    a0.addProduct(v[0], w); a1.addProduct(v[16], w)
                    a2.addProduct(v[32], w); a3.addProduct(v[48], w)
                    if n > 4 {
                        a4.addProduct(v[64], w); a5.addProduct(v[80], w)
                        a6.addProduct(v[96], w); a7.addProduct(v[112], w)
                    }
                }
                c0 &+= 16
            }
            for c in c0..<cin {
                let w = load16(wg + c &* mp)
                a0.addProduct(I.stored(p0, c, table: lut), w)
                a1.addProduct(I.stored(p1, c, table: lut), w)
                a2.addProduct(I.stored(p2, c, table: lut), w)
                a3.addProduct(I.stored(p3, c, table: lut), w)
                if n > 4 {
                    a4.addProduct(I.stored(p4, c, table: lut), w)
                    a5.addProduct(I.stored(p5, c, table: lut), w)
                    a6.addProduct(I.stored(p6, c, table: lut), w)
                    a7.addProduct(I.stored(p7, c, table: lut), w)
                }
            }
            dst[x] = finish(a0)
            dst[x &+ 1] = finish(a1)
            dst[x &+ 2] = finish(a2)
            dst[x &+ 3] = finish(a3)
            if n > 4 {
                dst[x &+ 4] = finish(a4)
                dst[x &+ 5] = finish(a5)
                dst[x &+ 6] = finish(a6)
                dst[x &+ 7] = finish(a7)
            }
        }
        var x = 0
        while x + 8 <= win { expand(8, at: x); x &+= 8 }
        if x + 4 <= win { expand(4, at: x); x &+= 4 }
        while x < win {
            let px = src + x &* inStride
            var acc = b
            for c in 0..<cin { acc.addProduct(I.stored(px, c, table: lut), load16(wg + c &* mp)) }
            dst[x] = finish(acc)
            x &+= 1
        }
    }

    /// t = 1: the "expanded" map is the input itself (zero beyond cin).
    @inline(__always)
    private func copyGroup<I: ActivationElement>(_ g: Int, row src: UnsafePointer<I>, pixels: Int,
                                                 into dst: UnsafeMutablePointer<SIMD16<Float>>, inputScale sIn: Float) {
        for x in 0..<pixels {
            var v = SIMD16<Float>()
            for k in 0..<16 where g + k < shape.cin { v[k] = src[x &* inStride &+ g &+ k].stored * sIn }
            dst[x] = v
        }
    }

    // MARK: - Phase 3: depthwise and projection

    /// 32 output channels a projection pass where a SIMD16 is one of 32 registers (AVX-512);
    /// 16 on AVX2, whose 16 ymm registers the 32-channel pass's accumulators fill.
    #if RNNPOOL_AVX512
    static let thirtyTwoChannelPasses = true
    #else
    static let thirtyTwoChannelPasses = false
    #endif

    /// The depthwise 3×3 (+ ReLU6) of group g over the expanded rows present (`rows`,
    /// `span` vectors apart, holding the tile's input columns), each pixel's 16 outputs
    /// folded straight into the tile's projection accumulators (never stored). Four
    /// output pixels at a time, 32 output channels per pass: eight independent FMA
    /// chains, each weight load shared by four pixels. A short pass at the tile's end
    /// repeats its last pixel, which computes and stores that pixel's values again,
    /// identically.
    @inline(__always)
    private func depthwiseProject(group g: Int, expanded e0: UnsafeMutablePointer<SIMD16<Float>>, span: Int,
                                  tile: Tile, rows: (Bool, Bool, Bool), sums: UnsafeMutablePointer<Float>) {
        let s = shape, win = s.win, mp = midPadded, cp = outStride
        // Column xc of the row is vector xc − firstInput of the tile's expanded rows.
        let e = e0 - tile.firstInput
        let dww = dwWeight.p
        let db = load16(dwBias.p + g)
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
        let (has0, has1, has2) = rows
        #if RNNPOOL_FIRMWARE
        let presentRows = Int32((has0 ? 1 : 0) | (has1 ? 2 : 0) | (has2 ? 4 : 0))
        #endif
        @inline(__always) func depthwise(_ xo: Int) -> SIMD16<Float> {
            var dd = db
            let xc = s.stride &* xo
            if has0 { tapRow(&dd, e, xc, t0, t1, t2) }
            if has1 { tapRow(&dd, e + span, xc, t3, t4, t5) }
            if has2 { tapRow(&dd, e + 2 &* span, xc, t6, t7, t8) }
            return relu6(dd)
        }
        // The int8 path's weights for group g (pointers only: the closures below would
        // otherwise retain the buffers at every step). The firmware's table is output-major.
        #if RNNPOOL_FIRMWARE
        let integerWeights = projection.map { UnsafeRawPointer($0.weights.p + g).assumingMemoryBound(to: UInt32.self) }
        #else
        let integerWeights = projection.map {
            UnsafeRawPointer($0.weights.p + (g / 2) &* cp &* 2).assumingMemoryBound(to: UInt32.self)
        }
        let integerKernel = projection?.kernel ?? .portable
        #endif
        // xo counts the tile's pixels; depthwise() takes the row's pixel index.
        let sums = sums - tile.first &* cp
        var xo = tile.first
        let end = tile.first &+ tile.count
        while xo < end {
            let last = min(3, end &- 1 &- xo)
            let o0 = sums + xo &* cp, o1 = sums + (xo &+ min(1, last)) &* cp
            let o2 = sums + (xo &+ min(2, last)) &* cp, o3 = sums + (xo &+ last) &* cp
            // The four pixels' depthwise outputs are read one channel at a time below:
            // from memory that is one broadcast each, where a vector register's element
            // at a varying k made the compiler store the whole vector again at every k.
            #if RNNPOOL_FIRMWARE
            // The Cortex-M4: C loops (scripts/m4/dsp_kernels.c), the same fused
            // multiply-adds in the same order: the depthwise a pixel at a time with eight
            // channels' sums in registers, into `floats`, or (the int8 path) its outputs'
            // grid steps into `steps`, as the SMLAD projection reads them (pair j of the
            // four pixels together).
            var ds = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
            @inline(__always) func depthwiseFour(floats: UnsafeMutablePointer<Float>?, steps: UnsafeMutablePointer<UInt16>?) {
                for i in 0..<4 {
                    let xc = s.stride &* (xo &+ min(i, last))
                    m4_depthwise16(UnsafeRawPointer(e + xc).assumingMemoryBound(to: Float.self), Int32(span &* 16),
                                   presentRows, xc >= 1 ? 1 : 0, xc + 1 < win ? 1 : 0, dww + g, Int32(mp),
                                   dwBias.p + g, floats.map { $0 + i &* 16 }, steps,
                                   MBConvRowKernel.depthwiseGrid.inverse, Int32(i))
                }
            }
            #else
            var ds = (depthwise(xo), depthwise(xo &+ min(1, last)), depthwise(xo &+ min(2, last)), depthwise(xo &+ last))
            #endif
            if let integerWeights {
                // The int8 path: the outputs as grid steps, then integer sums.
                withUnsafeMutableBytes(of: &ds) { raw in
                    #if RNNPOOL_FIRMWARE
                    depthwiseFour(floats: nil, steps: raw.baseAddress!.assumingMemoryBound(to: UInt16.self))
                    func i32(_ p: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Int32> {
                        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Int32.self)
                    }
                    m4_project16_int16(raw.baseAddress!.assumingMemoryBound(to: UInt32.self), integerWeights,
                                       Int32(cp), Int32(mp / 2), i32(o0), i32(o1), i32(o2), i32(o3))
                    #else
                    IntegerProjection.add(kernel: integerKernel, depthwise: raw.baseAddress!.assumingMemoryBound(to: Float.self),
                                          weights: integerWeights, outStride: cp,
                                          sums: (UnsafeMutableRawPointer(o0), UnsafeMutableRawPointer(o1),
                                                 UnsafeMutableRawPointer(o2), UnsafeMutableRawPointer(o3)))
                    #endif
                }
                xo &+= 4
                continue
            }
            let wg = projectWeight!.p + g &* cp
            withUnsafeMutableBytes(of: &ds) { raw in
                let d = raw.baseAddress!.assumingMemoryBound(to: Float.self)
                #if RNNPOOL_FIRMWARE
                depthwiseFour(floats: d, steps: nil)
                m4_project_four_pixels(d, wg, Int32(cp), o0, o1, o2, o3)
                #else
                let d0 = d, d1 = d + 16, d2 = d + 32, d3 = d + 48
                var oc = 0
                while MBConvRowKernel.thirtyTwoChannelPasses && oc + 32 <= cp {
                    let oh = oc &+ 16
                    var a00 = load16(o0 + oc), a01 = load16(o0 + oh), a10 = load16(o1 + oc), a11 = load16(o1 + oh)
                    var a20 = load16(o2 + oc), a21 = load16(o2 + oh), a30 = load16(o3 + oc), a31 = load16(o3 + oh)
                    for k in 0..<16 {
                        let w = wg + (k &* cp &+ oc)
                        let w0 = load16(w), w1 = load16(w + 16)
                        a00.addProduct(d0[k], w0); a01.addProduct(d0[k], w1)
                        a10.addProduct(d1[k], w0); a11.addProduct(d1[k], w1)
                        a20.addProduct(d2[k], w0); a21.addProduct(d2[k], w1)
                        a30.addProduct(d3[k], w0); a31.addProduct(d3[k], w1)
                    }
                    store16(a00, o0 + oc); store16(a01, o0 + oh); store16(a10, o1 + oc); store16(a11, o1 + oh)
                    store16(a20, o2 + oc); store16(a21, o2 + oh); store16(a30, o3 + oc); store16(a31, o3 + oh)
                    oc &+= 32
                }
                // AVX2: 16 channels a pass (the 32-channel pass's eight SIMD16 accumulators are
                // all 16 ymm registers, and spilled); each sum runs over k in the same order.
                let sums = (o0, o1, o2, o3)
                while oc + 16 <= cp {
                    Self.projectFourPixels(SIMD16<Float>.self, channel: oc, sums: sums, depthwise: d, weights: wg, stride: cp)
                    oc &+= 16
                }
                while oc < cp {
                    Self.projectFourPixels(SIMD8<Float>.self, channel: oc, sums: sums, depthwise: d, weights: wg, stride: cp)
                    oc &+= 8
                }
                #endif
            }
            xo &+= 4
        }
    }

    /// Channels oc ..< oc + V.scalarCount of four pixels' projection sums (`sums`), plus
    /// each pixel's 16 depthwise outputs (`depthwise`, 16 floats a pixel) times the
    /// group's weights (`weights`, rows `stride` floats apart), k in order.
    @inline(__always)
    private static func projectFourPixels<V: SIMD>(_: V.Type, channel oc: Int,
                                                   sums o: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
                                                            UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>),
                                                   depthwise d: UnsafePointer<Float>, weights wg: UnsafePointer<Float>,
                                                   stride cp: Int) where V.Scalar == Float {
        @inline(__always) func load(_ p: UnsafeMutablePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        @inline(__always) func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }
        var a0 = load(o.0 + oc), a1 = load(o.1 + oc), a2 = load(o.2 + oc), a3 = load(o.3 + oc)
        for k in 0..<16 {
            let w = UnsafeRawPointer(wg + (k &* cp &+ oc)).loadUnaligned(as: V.self)
            a0.addProduct(d[k], w); a1.addProduct(d[16 &+ k], w)
            a2.addProduct(d[32 &+ k], w); a3.addProduct(d[48 &+ k], w)
        }
        store(a0, o.0 + oc); store(a1, o.1 + oc); store(a2, o.2 + oc); store(a3, o.3 + oc)
    }

    // MARK: - Phase 4: store

    /// The int8 path's tile: the float accumulators of `pixels` output pixels rounded
    /// onto the output grid (outStride is a multiple of 8: whole vectors of 8).
    @inline(__always)
    private func storeTile<O: ActivationElement>(_ sums: UnsafeMutablePointer<Float>, pixels: Int,
                                                 to out: UnsafeMutablePointer<O>, grid: ActivationScale) {
        let inv = grid.inverse
        let q = UnsafeMutableRawPointer(out).assumingMemoryBound(to: Int8.self)
        for i in stride(from: 0, to: pixels &* outStride, by: 8) { storeInt8(load8(sums + i), inverse: inv, to: q + i) }
    }
}

/// The MBConv kernel's scratch, in the order it is carved: 3 expanded tile rows of one
/// 16-channel group (`expanded`, 3 × tileInputColumns SIMD16), the tile's float
/// accumulators (`sums`, tileColumns × outStride; on the float path the output row
/// itself is used and this room is idle), then 16 channels of 8 input pixels as floats
/// (`staged`).
struct MBConvScratch {
    let expanded: UnsafeMutablePointer<SIMD16<Float>>
    let sums: UnsafeMutablePointer<Float>
    let staged: UnsafeMutablePointer<Float>

    static func floats(tileColumns: Int, tileInputColumns span: Int, outStride: Int) -> Int {
        3 * span * MBConvRowKernel.group + tileColumns * outStride + 8 * 16
    }

    /// `sumsInto`: the tile's place in the float output row, which then holds the
    /// accumulators itself.
    @inline(__always)
    init(_ scratch: UnsafeMutablePointer<Float>, tileColumns: Int, tileInputColumns span: Int, outStride: Int,
         sumsInto floatRow: UnsafeMutableRawPointer?) {
        expanded = UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: SIMD16<Float>.self)
        let ownSums = scratch + 3 * span * MBConvRowKernel.group
        sums = floatRow?.assumingMemoryBound(to: Float.self) ?? ownSums
        staged = ownSums + tileColumns * outStride
    }
}
