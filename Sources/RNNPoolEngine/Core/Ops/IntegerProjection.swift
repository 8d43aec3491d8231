#if RNNPOOL_HOST_X86_64
import CKernels
#endif

/// The int8 path's MBConv projection as exact integer sums (QuantizedProjection,
/// NETWORK.md §7): the depthwise outputs (ReLU6: 0…6) rounded onto the int16 grid
/// `MBConvRowKernel.depthwiseGrid`, times int16 weights per output channel, summed in
/// int32 (two products an instruction on every target: `vpdpwssd`, `vpmaddwd`, `SMLAD`),
/// then float(Σ) · scale + bias. Integer sums agree in any order, so the host's kernels
/// and the Cortex-M4's give the same numbers by construction.
struct IntegerProjection {
    /// [midPadded / 2][outStride] words of two int16: q[2j][o] (low half), q[2j + 1][o]
    /// (the firmware's: `firmwareTable`'s output-major order).
    let weights: Int16Buffer
    /// [outStride]: s_d · s_o.
    let scale: FloatBuffer

    /// Which loop adds the products: a C kernel where the CPU has its instructions
    /// (CKernels.h, x86-64; RNNPOOL_NO_VNNI forces the Swift loop), else the Swift loop.
    enum Kernel { case vnni, avx2, portable }
    var kernel: Kernel

    init(weights: Int16Buffer, scale: FloatBuffer) {
        self.weights = weights
        self.scale = scale
        #if RNNPOOL_HOST_X86_64
        kernel = rc_has_avx512_vnni() != 0 ? .vnni : rc_has_avx2() != 0 ? .avx2 : .portable
        #else
        kernel = .portable
        #endif
    }

    /// The weights as the firmware's SMLAD kernel reads them from flash: output-major,
    /// [outStride][midPadded / 2] words (output o's pairs in order: one pass over an output
    /// channel walks its words in turn), as little-endian bytes (both targets are
    /// little-endian). The firmware's `weights` hold this layout.
    func firmwareTable(outStride cp: Int) -> [Int8] {
        let pairs = weights.count / (2 * cp)
        var bytes = [Int8](repeating: 0, count: 2 * weights.count)
        for j in 0..<pairs {
            for o in 0..<cp {
                for h in 0..<2 {
                    let v = UInt16(bitPattern: weights.p[(j * cp + o) * 2 + h])
                    let to = 2 * ((o * pairs + j) * 2 + h)
                    bytes[to] = Int8(bitPattern: UInt8(truncatingIfNeeded: v))
                    bytes[to + 1] = Int8(bitPattern: UInt8(truncatingIfNeeded: v >> 8))
                }
            }
        }
        return bytes
    }

    /// A pixel's 16 depthwise outputs (0…6) as int16 steps of the grid, round half to even
    /// by adding 1.5·2^23 (the step lands in the float's low bits); in memory, eight words
    /// of two (channels 2j, 2j + 1), as the kernels read them.
    @inline(__always)
    static func gridSteps(_ d: SIMD16<Float>) -> SIMD16<Int16> {
        let bits = unsafeBitCast(d * MBConvRowKernel.depthwiseGrid.inverse + SIMD16(repeating: 12_582_912),
                                 to: SIMD32<Int16>.self)
        // The low half of each lane (the stdlib's truncating init stays an out-of-line call).
        return SIMD16<Int16>(bits[0], bits[2], bits[4], bits[6], bits[8], bits[10], bits[12], bits[14],
                             bits[16], bits[18], bits[20], bits[22], bits[24], bits[26], bits[28], bits[30])
    }

    /// Adds a group's products for four pixels: `depthwise`, each pixel's 16 outputs
    /// (0…6, rounded here onto the grid); `weights`, the group's 8 rows of outStride
    /// words; `sums`, the pixels' int32 sums (outStride each; a pixel may repeat: every
    /// sum of a pass is read before any is written).
    @inline(__always)
    static func add(kernel: Kernel, depthwise d: UnsafePointer<Float>, weights w: UnsafePointer<UInt32>, outStride cp: Int,
                    sums o: (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer)) {
        #if RNNPOOL_HOST_X86_64
        func i32(_ p: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Int32> { p.assumingMemoryBound(to: Int32.self) }
        let inverse = MBConvRowKernel.depthwiseGrid.inverse
        switch kernel {
        case .vnni: rc_project16_vnni(d, inverse, w, cp, i32(o.0), i32(o.1), i32(o.2), i32(o.3)); return
        case .avx2: rc_project16_avx2(d, inverse, w, cp, i32(o.0), i32(o.1), i32(o.2), i32(o.3)); return
        case .portable: break
        }
        #endif
        var steps = (gridSteps(load16(d)), gridSteps(load16(d + 16)), gridSteps(load16(d + 32)), gridSteps(load16(d + 48)))
        withUnsafeBytes(of: &steps) { raw in
            addPortable(d: raw.baseAddress!.assumingMemoryBound(to: UInt32.self), w: w, cp: cp, sums: o)
        }
    }

    /// The Swift loop: eight output channels of the four pixels a pass, pairs j in order.
    @inline(__always)
    static func addPortable(d: UnsafePointer<UInt32>, w: UnsafePointer<UInt32>, cp: Int,
                            sums o: (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer,
                                     UnsafeMutableRawPointer)) {
        var oc = 0
        while oc < cp {
            let at = oc &* 4
            var a0 = o.0.loadUnaligned(fromByteOffset: at, as: SIMD8<Int32>.self)
            var a1 = o.1.loadUnaligned(fromByteOffset: at, as: SIMD8<Int32>.self)
            var a2 = o.2.loadUnaligned(fromByteOffset: at, as: SIMD8<Int32>.self)
            var a3 = o.3.loadUnaligned(fromByteOffset: at, as: SIMD8<Int32>.self)
            for j in 0..<8 {
                let wv = UnsafeRawPointer(w + (j &* cp &+ oc)).loadUnaligned(as: SIMD8<Int32>.self)
                let lo = (wv &<< 16) &>> 16, hi = wv &>> 16
                @inline(__always) func addPixel(_ a: inout SIMD8<Int32>, _ p: Int) {
                    let x = d[p &* 8 &+ j]
                    a &+= lo &* Int32(x & 0xFFFF) &+ hi &* Int32(x >> 16)
                }
                addPixel(&a0, 0); addPixel(&a1, 1); addPixel(&a2, 2); addPixel(&a3, 3)
            }
            o.0.storeBytes(of: a0, toByteOffset: at, as: SIMD8<Int32>.self)
            o.1.storeBytes(of: a1, toByteOffset: at, as: SIMD8<Int32>.self)
            o.2.storeBytes(of: a2, toByteOffset: at, as: SIMD8<Int32>.self)
            o.3.storeBytes(of: a3, toByteOffset: at, as: SIMD8<Int32>.self)
            oc &+= 8
        }
    }

    /// A pixel's output values from its int32 sums, in place: float(Σ) · scale + bias,
    /// rounded separately (outStride, a multiple of 8, values).
    @inline(__always)
    func finish(_ sums: UnsafeMutableRawPointer, bias: UnsafePointer<Float>, outStride cp: Int) {
        #if RNNPOOL_FIRMWARE
        // Lane by lane, through Int (32 bits here: one VCVT): Embedded Swift converts a
        // vector of Int32, or an Int32 itself, through Int64 and a __floatdisf call.
        for c in 0..<cp {
            let v = Float(Int(sums.load(fromByteOffset: c &* 4, as: Int32.self))) * scale.p[c] + bias[c]
            sums.storeBytes(of: v, toByteOffset: c &* 4, as: Float.self)
        }
        #else
        var c = 0
        while c < cp {
            let at = c &* 4
            let v = SIMD8<Float>(sums.loadUnaligned(fromByteOffset: at, as: SIMD8<Int32>.self)) * load8(scale.p + c)
                + load8(bias + c)
            sums.storeBytes(of: v, toByteOffset: at, as: SIMD8<Float>.self)
            c &+= 8
        }
        #endif
    }
}
