/// How one activation value is stored in a line buffer: float32 (the reference path)
/// or int8 on a per-tensor grid (the compact path, NETWORK.md §7). Kernels are generic
/// over it, so both paths run the same loops; the specialisations are resolved at
/// compile time (no existentials, nothing allocated).
protocol ActivationElement {
    /// The stored number, before its scale.
    var stored: Float { get }
    /// Stores `v`: float as is; int8 as clamp(round-half-even(v · inverse), ±127).
    init(storing v: Float, inverse: Float)
    /// `stored` of element i, through `table` (`int8Values`) for int8: a byte load and
    /// a float load that can feed a broadcast, instead of a byte → float conversion.
    static func stored(_ p: UnsafePointer<Self>, _ i: Int, table: UnsafePointer<Float>) -> Float
    /// `stored` of elements 0 ..< 16 as one vector (int8: sign-extended and converted
    /// with vector instructions), for kernels that read 16 channels of a pixel at once.
    static func stored16(_ p: UnsafePointer<Self>) -> SIMD16<Float>
    /// `stored` of elements 0 ..< 8 as one vector, likewise.
    static func stored8(_ p: UnsafePointer<Self>) -> SIMD8<Float>
    /// `stored` of elements 0 ..< 4 of `low` and of `high` as one vector.
    static func stored8(low: UnsafePointer<Self>, high: UnsafePointer<Self>) -> SIMD8<Float>
    /// Stores the first `count` (≤ 8) lanes of `v` at p.
    static func store(_ v: SIMD8<Float>, count: Int, inverse: Float, to p: UnsafeMutablePointer<Self>)
    /// Stores the 16 lanes of `v` at p.
    static func store16(_ v: SIMD16<Float>, inverse: Float, to p: UnsafeMutablePointer<Self>)
}

/// Eight int8 stores at once, the same rounding as `Int8(storing:inverse:)`: clamp to
/// ±127 first (the bounds are integers, so clamping before rounding changes nothing),
/// then round half to even by adding 1.5·2^23 (the float's low mantissa bits are then
/// the integer), all vector operations.
@inline(__always)
func quantizeInt8(_ v: SIMD8<Float>, inverse: Float) -> SIMD8<Int8> {
    let n = unsafeBitCast(gridStepsPlusMagic(v, inverse: inverse), to: SIMD8<Int32>.self) &- 0x4B40_0000
    // The low byte of each lane, picked from the bytes (the stdlib's SIMD8<Int8>(truncatingIfNeeded:)
    // stayed an out-of-line call in the hot loops).
    let b = unsafeBitCast(n, to: SIMD32<Int8>.self)
    return SIMD8<Int8>(b[0], b[4], b[8], b[12], b[16], b[20], b[24], b[28])
}

/// The same rounding for 16 lanes, left as Int32 (−127…127) for the caller to narrow.
@inline(__always)
func quantizedLanes(_ v: SIMD16<Float>, inverse: Float) -> SIMD16<Int32> {
    unsafeBitCast(gridStepsPlusMagic(v, inverse: inverse), to: SIMD16<Int32>.self) &- 0x4B40_0000
}

/// clamp(v · inverse, ±127) + 1.5·2^23: the rounded grid step n sits in the low mantissa
/// bits (the float is 12,582,912 + n, bits 0x4B400000 + n). Shared by every vector
/// store and round trip of the int8 grid.
@inline(__always)
func gridStepsPlusMagic<V: SIMD>(_ v: V, inverse: Float) -> V where V.Scalar == Float {
    clampAbove(clampBelow(v * inverse, -127), 127) + V(repeating: 12_582_912)
}

@inline(__always)
func storeInt8(_ v: SIMD8<Float>, inverse: Float, to p: UnsafeMutablePointer<Int8>) {
    UnsafeMutableRawPointer(p).storeBytes(of: quantizeInt8(v, inverse: inverse), as: SIMD8<Int8>.self)
}

/// Float(Int8(bitPattern: b)) for every byte b: the int8 → float table of `stored(_:_:table:)`.
let int8Values = FloatBuffer((0..<256).map { Float(Int8(truncatingIfNeeded: $0)) })

extension Float: ActivationElement {
    @inline(__always) var stored: Float { self }
    @inline(__always) init(storing v: Float, inverse _: Float) { self = v }
    @inline(__always) static func stored(_ p: UnsafePointer<Float>, _ i: Int, table _: UnsafePointer<Float>) -> Float { p[i] }
    @inline(__always) static func stored16(_ p: UnsafePointer<Float>) -> SIMD16<Float> { load16(p) }
    @inline(__always) static func stored8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { load8(p) }
    @inline(__always) static func stored8(low: UnsafePointer<Float>, high: UnsafePointer<Float>) -> SIMD8<Float> {
        SIMD8(lowHalf: UnsafeRawPointer(low).loadUnaligned(as: SIMD4<Float>.self),
              highHalf: UnsafeRawPointer(high).loadUnaligned(as: SIMD4<Float>.self))
    }
    @inline(__always) static func store(_ v: SIMD8<Float>, count: Int, inverse _: Float, to p: UnsafeMutablePointer<Float>) {
        for c in 0..<count { p[c] = v[c] }
    }
    @inline(__always) static func store16(_ v: SIMD16<Float>, inverse _: Float, to p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }
}

extension Int8: ActivationElement {
    // Through Int: Embedded Swift converts Int8 and Int32 to Float by way of Int64 and a
    // software routine (__floatdisf: 4% of a Cortex-M4 frame), Int with one VCVT. The
    // same value either way (exact).
    @inline(__always) var stored: Float { Float(Int(self)) }
    @inline(__always) init(storing v: Float, inverse: Float) {
        // `quantizeInt8`'s arithmetic for one value: clamp, then round half to even by
        // adding 1.5·2^23. No checked Float → Int conversion (its range tests and
        // branches made the RNNPool output stores a tenth of that kernel's time).
        let x = Swift.min(Swift.max(v * inverse, -127), 127)
        self = Int8(truncatingIfNeeded: Int32(bitPattern: (x + 12_582_912).bitPattern) &- 0x4B40_0000)
    }
    @inline(__always) static func stored(_ p: UnsafePointer<Int8>, _ i: Int, table: UnsafePointer<Float>) -> Float {
        table[Int(UInt8(bitPattern: p[i]))]
    }
    @inline(__always) static func stored16(_ p: UnsafePointer<Int8>) -> SIMD16<Float> {
        let w = UnsafeRawPointer(p).loadUnaligned(as: SIMD4<UInt32>.self)
        return SIMD16(lowHalf: unpackWords(w.lowHalf), highHalf: unpackWords(w.highHalf))
    }
    @inline(__always) static func stored8(_ p: UnsafePointer<Int8>) -> SIMD8<Float> {
        #if RNNPOOL_FIRMWARE
        stored8(low: p, high: p + 4)
        #else
        unpackWords(UnsafeRawPointer(p).loadUnaligned(as: SIMD2<UInt32>.self))
        #endif
    }
    @inline(__always) static func stored8(low: UnsafePointer<Int8>, high: UnsafePointer<Int8>) -> SIMD8<Float> {
        #if RNNPOOL_FIRMWARE
        // The Cortex-M4 computes a vector lane by lane: a byte load and a VCVT each.
        SIMD8(low[0].stored, low[1].stored, low[2].stored, low[3].stored,
              high[0].stored, high[1].stored, high[2].stored, high[3].stored)
        #else
        unpackWords(SIMD2(UnsafeRawPointer(low).loadUnaligned(as: UInt32.self),
                          UnsafeRawPointer(high).loadUnaligned(as: UInt32.self)))
        #endif
    }
    /// The 8 int8 values of two words as floats: byte i of word i/4, sign-extended by
    /// shifting it to the top and back (the stdlib's SIMD widening init was left as an
    /// out-of-line call in the hot loop); then n → float exactly by the 1.5·2^23 trick,
    /// as in `unpackInt8Quads`.
    @inline(__always) private static func unpackWords(_ w: SIMD2<UInt32>) -> SIMD8<Float> {
        let spread = SIMD8<UInt32>(w[0], w[0], w[0], w[0], w[1], w[1], w[1], w[1])
        let toTop = SIMD8<UInt32>(24, 16, 8, 0, 24, 16, 8, 0)
        let q = unsafeBitCast(spread &<< toTop, to: SIMD8<Int32>.self) &>> 24
        return unsafeBitCast(q &+ 0x4B40_0000, to: SIMD8<Float>.self) - 12_582_912
    }
    @inline(__always) static func store16(_ v: SIMD16<Float>, inverse: Float, to p: UnsafeMutablePointer<Int8>) {
        // Each lane's low byte, picked from the bytes (as quantizeInt8 does for 8).
        let b = unsafeBitCast(quantizedLanes(v, inverse: inverse), to: SIMD64<Int8>.self)
        let q = SIMD16<Int8>(b[0], b[4], b[8], b[12], b[16], b[20], b[24], b[28],
                             b[32], b[36], b[40], b[44], b[48], b[52], b[56], b[60])
        UnsafeMutableRawPointer(p).storeBytes(of: q, as: SIMD16<Int8>.self)
    }
    @inline(__always) static func store(_ v: SIMD8<Float>, count: Int, inverse: Float, to p: UnsafeMutablePointer<Int8>) {
        let q = quantizeInt8(v, inverse: inverse)
        if count == 4 {
            UnsafeMutableRawPointer(p).storeBytes(of: q.lowHalf, as: SIMD4<Int8>.self)
        } else {
            for c in 0..<count { p[c] = q[c] }
        }
    }
}

/// A stored tensor's grid: value = stored · scale. The float path uses scale 1
/// (multiplying by 1 is exact, so its arithmetic is unchanged).
struct ActivationScale: Equatable {
    let scale: Float
    let inverse: Float

    init(_ scale: Float) {
        self.scale = scale
        inverse = 1 / scale
    }

    static let identity = ActivationScale(1)

    /// The value as the int8 path sees it after a store and a load (identity for float).
    @inline(__always) func roundTrip<T: ActivationElement>(_ v: Float, _: T.Type) -> Float {
        T(storing: v, inverse: inverse).stored * scale
    }

    /// The same for 16 lanes, with vector operations only (int8: clamp to ±127, round
    /// half to even by adding and subtracting 1.5·2^23, scale back).
    @inline(__always) func roundTrip<T: ActivationElement>(_ v: SIMD16<Float>, _: T.Type) -> SIMD16<Float> {
        guard T.self == Int8.self else { return v }
        return (gridStepsPlusMagic(v, inverse: inverse) - 12_582_912) * scale
    }
}
