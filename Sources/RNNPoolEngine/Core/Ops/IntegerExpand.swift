#if RNNPOOL_HOST_X86_64
import CKernels

/// The int8 expand as exact integer sums in a C kernel (CKernels.h), on x86-64 CPUs that
/// have the instructions: `rc_expand16_vnni` with AVX-512 VNNI (vpdpbusd, 64 int8
/// multiply-adds an instruction), else `rc_expand16_avx2` with AVX2 (vpmaddwd on int16,
/// 16 an instruction, where the Swift loop's float FMAs do 8). The weights are laid out
/// for the chosen kernel when the model loads, from `QuantizedExpand`'s integers. nil
/// where neither runs (or RNNPOOL_NO_VNNI is set): the Swift loop in MBConvRowKernel
/// computes the same numbers.
final class IntegerExpand: @unchecked Sendable {
    enum Kernel { case vnni, avx2 }
    let kernel: Kernel
    /// VNNI: channels a pixel, rounded up to 4. AVX2: channel pairs a pixel.
    let blocks: Int
    /// The input's channels a pixel (what the AVX2 kernel reads of each).
    let channels: Int
    let bytes: UnsafeMutablePointer<Int8>?
    let words: UnsafeMutablePointer<Int16>?
    /// VNNI: per channel the 128 · Σ q that the kernel subtracts (it reads inputs as q + 128).
    let correction: UnsafeMutablePointer<Int32>?

    /// For a block's int8 expand (`integers`: QuantizedExpand's [cin][midPadded] weights,
    /// present with their `scale` on the int8 path only), where the CPU runs a kernel.
    static func forBlock(integers: FloatBuffer?, scale: FloatBuffer?, cin: Int, midPadded: Int) -> IntegerExpand? {
        guard let integers, scale != nil, midPadded % 16 == 0 else { return nil }
        if rc_has_avx512_vnni() != 0 { return IntegerExpand(vnni: integers.p, cin: cin, midPadded: midPadded) }
        if rc_has_avx2() != 0, cin <= Int(RC_EXPAND_MAX_CHANNELS) {
            return IntegerExpand(avx2: integers.p, cin: cin, midPadded: midPadded)
        }
        return nil
    }

    /// `q`: [cin][midPadded] integers in −127…127 (as floats).
    private init(vnni q: UnsafePointer<Float>, cin: Int, midPadded mp: Int) {
        kernel = .vnni
        let cin4 = (cin + 3) & ~3
        blocks = cin4
        channels = cin
        let groups = mp / 16, perGroup = cin4 * 16
        let b = UnsafeMutablePointer<Int8>.allocate(capacity: max(1, groups * perGroup))
        b.initialize(repeating: 0, count: max(1, groups * perGroup))
        let corr = UnsafeMutablePointer<Int32>.allocate(capacity: mp)
        for m in 0..<mp {
            let g = m / 16, l = m % 16
            var sum: Int32 = 0
            for c in 0..<cin {
                let v = Int8(q[c * mp + m])
                b[g * perGroup + (c / 4) * 64 + l * 4 + c % 4] = v
                sum += Int32(v)
            }
            corr[m] = 128 * sum
        }
        bytes = b
        words = nil
        correction = corr
    }

    private init(avx2 q: UnsafePointer<Float>, cin: Int, midPadded mp: Int) {
        kernel = .avx2
        let pairs = (cin + 1) / 2
        blocks = pairs
        channels = cin
        let groups = mp / 16, perGroup = pairs * 32
        let w = UnsafeMutablePointer<Int16>.allocate(capacity: max(1, groups * perGroup))
        w.initialize(repeating: 0, count: max(1, groups * perGroup))
        for m in 0..<mp {
            let g = m / 16, l = m % 16
            for c in 0..<cin { w[g * perGroup + (c / 2) * 32 + l * 2 + c % 2] = Int16(q[c * mp + m]) }
        }
        bytes = nil
        words = w
        correction = nil
    }

    deinit {
        bytes?.deallocate()
        words?.deallocate()
        correction?.deallocate()
    }

    /// Expands channels g ..< g + 16 of `pixels` int8 pixels (`pixelStride` bytes apart)
    /// into `dst` (`pixels` vectors): relu6(Σ · scale + bias), as the Swift loop does.
    @inline(__always)
    func expand(group g: Int, row: UnsafePointer<Int8>, pixelStride: Int, pixels: Int,
                scale: UnsafePointer<Float>, bias: UnsafePointer<Float>, into dst: UnsafeMutablePointer<SIMD16<Float>>) {
        let out = UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Float.self)
        switch kernel {
        case .vnni:
            rc_expand16_vnni(row, pixelStride, pixels, blocks, bytes! + (g / 16) * blocks * 16, correction! + g,
                             scale + g, bias + g, out)
        case .avx2:
            rc_expand16_avx2(row, pixelStride, pixels, channels, words! + (g / 16) * blocks * 32, scale + g, bias + g, out)
        }
    }
}
#endif
