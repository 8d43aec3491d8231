#if RNNPOOL_HOST_X86_64
import CKernels

/// The int8 expand's weights in the layout of `rc_expand16_vnni` (CKernels.h), for CPUs
/// with AVX-512 VNNI: per 16-channel group, cin4/4 blocks of 16 lanes × 4 bytes, and per
/// channel the 128 · Σ q that the kernel subtracts (it reads inputs as q + 128). Built
/// at load time from `QuantizedExpand`'s integers; nil where the CPU lacks VNNI, and
/// the Swift loop in MBConvRowKernel computes the same numbers.
final class VNNIExpand: @unchecked Sendable {
    let cin4: Int
    let bytes: UnsafeMutablePointer<Int8>
    let correction: UnsafeMutablePointer<Int32>

    /// For a block's int8 expand (`integers`: QuantizedExpand's [cin][midPadded] weights,
    /// present with their `scale` on the int8 path only), where the CPU runs VNNI.
    static func forBlock(integers: FloatBuffer?, scale: FloatBuffer?, cin: Int, midPadded: Int) -> VNNIExpand? {
        guard let integers, scale != nil else { return nil }
        return VNNIExpand(integers: integers.p, cin: cin, midPadded: midPadded)
    }

    /// `q`: [cin][midPadded] integers in −127…127 (as floats).
    init?(integers q: UnsafePointer<Float>, cin: Int, midPadded mp: Int) {
        guard rc_has_avx512_vnni() != 0, mp % 16 == 0 else { return nil }
        cin4 = (cin + 3) & ~3
        let groups = mp / 16, perGroup = cin4 * 16
        bytes = .allocate(capacity: max(1, groups * perGroup))
        bytes.initialize(repeating: 0, count: max(1, groups * perGroup))
        correction = .allocate(capacity: mp)
        for m in 0..<mp {
            let g = m / 16, l = m % 16
            var sum: Int32 = 0
            for c in 0..<cin {
                let v = Int8(q[c * mp + m])
                bytes[g * perGroup + (c / 4) * 64 + l * 4 + c % 4] = v
                sum += Int32(v)
            }
            correction[m] = 128 * sum
        }
    }

    deinit {
        bytes.deallocate()
        correction.deallocate()
    }

    /// Expands channels g ..< g + 16 of `pixels` int8 pixels (`pixelStride` bytes apart)
    /// into `dst` (`pixels` vectors): relu6(Σ · scale + bias), as the Swift loop does.
    @inline(__always)
    func expand(group g: Int, row: UnsafePointer<Int8>, pixelStride: Int, pixels: Int,
                scale: UnsafePointer<Float>, bias: UnsafePointer<Float>, into dst: UnsafeMutablePointer<SIMD16<Float>>) {
        rc_expand16_vnni(row, pixelStride, pixels, cin4, bytes + (g / 16) * cin4 * 16, correction + g,
                         scale + g, bias + g, UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Float.self))
    }
}
#endif
