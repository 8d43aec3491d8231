/// How one activation value is stored in a line buffer: float32 (the reference path)
/// or int8 on a per-tensor grid (the compact path, NETWORK.md §7). Kernels are generic
/// over it, so both paths run the same loops; the specialisations are resolved at
/// compile time (no existentials, nothing allocated).
protocol ActivationElement {
    /// The stored number, before its scale.
    var stored: Float { get }
    /// Stores `v`: float as is; int8 as clamp(round-half-even(v · inverse), ±127).
    init(storing v: Float, inverse: Float)
}

extension Float: ActivationElement {
    @inline(__always) var stored: Float { self }
    @inline(__always) init(storing v: Float, inverse _: Float) { self = v }
}

extension Int8: ActivationElement {
    @inline(__always) var stored: Float { Float(self) }
    @inline(__always) init(storing v: Float, inverse: Float) {
        let r = (v * inverse).rounded(.toNearestOrEven)
        self = Int8(truncatingIfNeeded: Int32(Swift.max(-127, Swift.min(127, r))))
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
}
