/// The three input rows a 3×3 window reads (y−1, y, y+1), nil outside the map. A value
/// type on the stack: the kernels that run once per output row allocate nothing.
struct ThreeRows<T> {
    var r0: UnsafePointer<T>?
    var r1: UnsafePointer<T>?
    var r2: UnsafePointer<T>?

    init(_ r0: UnsafePointer<T>?, _ r1: UnsafePointer<T>?, _ r2: UnsafePointer<T>?) {
        self.r0 = r0
        self.r1 = r1
        self.r2 = r2
    }

    /// Rows `first`, `first + 1`, `first + 2` of a map of `height` rows.
    init(first: Int, height: Int, row: (Int) -> UnsafePointer<T>) {
        func at(_ r: Int) -> UnsafePointer<T>? { r >= 0 && r < height ? row(r) : nil }
        self.init(at(first), at(first + 1), at(first + 2))
    }

    @inline(__always) subscript(_ k: Int) -> UnsafePointer<T>? {
        k == 0 ? r0 : (k == 1 ? r1 : r2)
    }
}

extension ThreeRows {
    /// The same rows as another element type (the caller knows they hold U).
    @inline(__always) func rebound<U>(to _: U.Type) -> ThreeRows<U> {
        func cast(_ p: UnsafePointer<T>?) -> UnsafePointer<U>? { p.map { UnsafeRawPointer($0).assumingMemoryBound(to: U.self) } }
        return ThreeRows<U>(cast(r0), cast(r1), cast(r2))
    }
}
