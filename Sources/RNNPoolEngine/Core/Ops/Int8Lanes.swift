/// Gathers of int8 pixels with 4 channels (the stem's C0 = 4) into 16 SIMD lanes: one
/// 32-bit load per pixel instead of four byte loads and four float stores, and the
/// int8 → float conversion done on whole vectors.

/// The 4 channels of 16 pixels (one UInt32 each: channel c in byte c) → x[c] = q · scale.
@inline(__always)
func unpackInt8Quads(_ v: SIMD16<UInt32>, scale: Float, into x: UnsafeMutablePointer<SIMD16<Float>>) {
    // Sign-extend byte c with two shifts; then n → float exactly by the 1.5·2^23 trick
    // (bits 0x4B400000 + n are the float 12582912 + n for |n| < 2^22), all vector ops.
    let magic = SIMD16<Int32>(repeating: 0x4B40_0000)
    let s = SIMD16<Float>(repeating: scale)
    for c in 0..<4 {
        let q = unsafeBitCast(v &<< UInt32(24 - 8 * c), to: SIMD16<Int32>.self) &>> 24
        x[c] = (unsafeBitCast(q &+ magic, to: SIMD16<Float>.self) - 12_582_912) * s
    }
}

/// 16 pixels at 16 addresses, 4 bytes each.
@inline(__always)
func gatherQuads(_ p: UnsafePointer<UnsafeRawPointer>, offset: Int) -> SIMD16<UInt32> {
    var v = SIMD16<UInt32>()
    for l in 0..<16 { v[l] = (p[l] + offset).loadUnaligned(as: UInt32.self) }
    return v
}
