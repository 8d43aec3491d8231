#if RNNPOOL_HOST
import CKernels
#endif

/// The stem: 3×3 convolution, stride 2, zero padding 1, one input channel → C0, folded
/// BatchNorm, ReLU6 (NETWORK.md §2). Reads the 8-bit letterboxed input and normalises
/// each pixel on the fly (`p·scale + offset`); padding is zero in the normalised domain,
/// as in PyTorch.
struct StemKernel {
    let channels: Int
    let weight: FloatBuffer   // [c][9]
    let bias: FloatBuffer
    let scale: Float
    let offset: Float
    let inWidth: Int, inHeight: Int
    let outWidth: Int
    /// [tap][8]: the weights of up to 8 channels per tap, zero-padded.
    let tapWeights: FloatBuffer
    let bias8: FloatBuffer

    /// Computes output row `y` into `out` (outWidth × channels floats, channels-last)
    /// from a contiguous input image.
    func run(row y: Int, input: UnsafePointer<UInt8>, out: UnsafeMutablePointer<Float>) {
        run(row: y, inputRow: { input + $0 * inWidth }, out: out, grid: .identity)
    }

    /// The same with input rows given one by one (`inputRow(r)`, 0 ≤ r < inHeight),
    /// stored as `O` on `grid`.
    func run<O: ActivationElement>(row y: Int, inputRow: (Int) -> UnsafePointer<UInt8>,
                                   out: UnsafeMutablePointer<O>, grid: ActivationScale) {
        let inv = grid.inverse
        let c0 = channels
        let rowPointers = ThreeRows(first: 2 * y - 1, height: inHeight, row: inputRow)
        if c0 <= 8 {
            // Up to 8 channels in one vector: per tap, one scalar times 8 weights.
            let b = load8(bias8.p)
            @inline(__always) func pixel(_ x: Int) {
                var acc = b
                forEachTap(x, rows: rowPointers) { p, w in acc.addProduct(p, load8(w)) }
                acc = relu6(acc)
                let o = out + x &* c0
                O.store(acc, count: c0, inverse: inv, to: o)
            }
            var x = 0
            #if RNNPOOL_FIRMWARE
            // The Cortex-M4 computes a SIMD8 lane by lane: four channels take four
            // scalar sums, not eight (the same fused multiply-adds, clamp and rounding).
            if c0 == 4 {
                while x < outWidth { fourChannelPixel(x, rows: rowPointers, out: out, inverse: inv); x &+= 1 }
                return
            }
            #endif
            #if RNNPOOL_HOST
            // Four channels (the M4 design's stem): 16 output pixels at once, one lane
            // each, away from the edges (columns 2x − 1 … 2x + 32 inside the row). The
            // same operations per value as the pixel loop, so the same bits.
            if c0 == 4 && outWidth >= 17 {
                pixel(0)
                x = 1
                while x + 16 <= outWidth && 2 &* x &+ 32 < inWidth {
                    sixteenPixels(x, rows: rowPointers, out: out, inverse: inv)
                    x &+= 16
                }
            }
            #endif
            while x < outWidth { pixel(x); x &+= 1 }
            return
        }
        let w = weight.p, b = bias.p
        var taps = SIMD16<Float>()   // 9 used: on the stack
        for x in 0..<outWidth {
            for ky in 0..<3 {
                for kx in 0..<3 {
                    let ix = 2 * x - 1 + kx
                    taps[ky * 3 + kx] = (rowPointers[ky] != nil && ix >= 0 && ix < inWidth)
                        ? Float(Int(rowPointers[ky]![ix])) * scale + offset : 0
                }
            }
            let o = out + x &* c0
            for c in 0..<c0 {
                var acc = b[c]
                let wc = w + c &* 9
                for k in 0..<9 { acc += wc[k] * taps[k] }
                o[c] = O(storing: relu6(acc), inverse: inv)
            }
        }
    }

    /// The taps of output pixel x inside the input, in order (ky, then kx): each
    /// normalised input pixel and its tap's 8 weights (`tapWeights`).
    @inline(__always)
    private func forEachTap(_ x: Int, rows: ThreeRows<UInt8>, _ body: (Float, UnsafePointer<Float>) -> Void) {
        for ky in 0..<3 {
            guard let r = rows[ky] else { continue }
            for kx in 0..<3 {
                let ix = 2 &* x &- 1 &+ kx
                if ix < 0 || ix >= inWidth { continue }
                // Float(Int(·)): one VCVT on the M4 (ActivationElement.stored).
                body(Float(Int(r[ix])) * scale + offset, tapWeights.p + (ky &* 3 &+ kx) &* 8)
            }
        }
    }

    #if RNNPOOL_FIRMWARE
    /// Output pixel x of a 4-channel stem with four scalar sums: the pixel loop's
    /// operations on lanes 0–3, its ReLU6 as integer compares of the bits (the vector
    /// form's results: every negative and −0 gives +0, above 6 gives 6), its int8
    /// rounding per value (`Int8(storing:inverse:)`, the same arithmetic).
    @inline(__always)
    private func fourChannelPixel<O: ActivationElement>(_ x: Int, rows: ThreeRows<UInt8>, out: UnsafeMutablePointer<O>,
                                                        inverse inv: Float) {
        let b = bias8.p
        var a0 = b[0], a1 = b[1], a2 = b[2], a3 = b[3]
        forEachTap(x, rows: rows) { p, w in
            a0.addProduct(p, w[0]); a1.addProduct(p, w[1])
            a2.addProduct(p, w[2]); a3.addProduct(p, w[3])
        }
        @inline(__always) func relu6Bits(_ v: Float) -> Float {
            let bits = Int32(bitPattern: v.bitPattern)
            return bits <= 0 ? 0 : (bits > 0x40C0_0000 ? 6 : v)
        }
        let o = out + x &* 4
        o[0] = O(storing: relu6Bits(a0), inverse: inv); o[1] = O(storing: relu6Bits(a1), inverse: inv)
        o[2] = O(storing: relu6Bits(a2), inverse: inv); o[3] = O(storing: relu6Bits(a3), inverse: inv)
    }
    #endif

    #if RNNPOOL_HOST
    /// Output pixels x0 ..< x0 + 16 of a 4-channel stem, lane i for pixel x0 + i: per tap
    /// the 16 input bytes at stride 2 (rc_even_bytes / rc_odd_bytes), normalised with one
    /// multiply and one add, then one FMA per channel, in the pixel loop's order.
    @inline(__always)
    private func sixteenPixels<O: ActivationElement>(_ x0: Int, rows: ThreeRows<UInt8>, out: UnsafeMutablePointer<O>,
                                                      inverse inv: Float) {
        let wt = tapWeights.p, b = bias8.p
        var a0 = SIMD16<Float>(repeating: b[0]), a1 = SIMD16<Float>(repeating: b[1])
        var a2 = SIMD16<Float>(repeating: b[2]), a3 = SIMD16<Float>(repeating: b[3])
        for ky in 0..<3 {
            guard let r = rows[ky] else { continue }
            let p = r + (2 &* x0 &- 1)
            for kx in 0..<3 {
                let bytes = kx == 1 ? rc_odd_bytes(p) : rc_even_bytes(p + kx)
                let v = bytes * scale + offset
                let w = wt + (ky &* 3 &+ kx) &* 8
                a0.addProduct(v, w[0]); a1.addProduct(v, w[1])
                a2.addProduct(v, w[2]); a3.addProduct(v, w[3])
            }
        }
        a0 = relu6(a0); a1 = relu6(a1); a2 = relu6(a2); a3 = relu6(a3)
        let o = out + x0 &* 4
        if O.self == Int8.self {
            let q0 = quantizedLanes(a0, inverse: inv), q1 = quantizedLanes(a1, inverse: inv)
            let q2 = quantizedLanes(a2, inverse: inv), q3 = quantizedLanes(a3, inverse: inv)
            // Pixel i's four channel bytes as word i (little-endian: channel 0 lowest), the
            // 16 words one 64-byte store (byte by byte, the stores were half the stem's time).
            let low = SIMD16<Int32>(repeating: 0xFF)
            let words = (q0 & low) | ((q1 & low) &<< 8) | ((q2 & low) &<< 16) | (q3 &<< 24)
            UnsafeMutableRawPointer(o).storeBytes(of: words, as: SIMD16<Int32>.self)
        } else {
            let f = UnsafeMutableRawPointer(o).assumingMemoryBound(to: Float.self)
            for i in 0..<16 {
                f[i &* 4] = a0[i]; f[i &* 4 &+ 1] = a1[i]
                f[i &* 4 &+ 2] = a2[i]; f[i &* 4 &+ 3] = a3[i]
            }
        }
    }
    #endif
}
