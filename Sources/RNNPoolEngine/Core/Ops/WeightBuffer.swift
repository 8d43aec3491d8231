/// A read-only array of weights at a stable address, for the hot loops that read them
/// through raw pointers. Weights live here, outside the arena ("flash"): floats, and the
/// int8 path's integer weights (the heads' int16 tables).
final class WeightBuffer<Element: Numeric>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
    let count: Int
    /// False for weights linked into the firmware's flash: they are never freed.
    private let owned: Bool

    init(_ values: [Element]) {
        owned = true
        count = values.count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }

    /// Weights that live elsewhere for the whole run (the firmware's flash), used in place.
    init(linked p: UnsafePointer<Element>, count: Int) {
        owned = false
        self.count = count
        pointer = UnsafeMutablePointer(mutating: p)
    }

    deinit { if owned { pointer.deallocate() } }

    var p: UnsafePointer<Element> { UnsafePointer(pointer) }
}

typealias FloatBuffer = WeightBuffer<Float>
typealias Int16Buffer = WeightBuffer<Int16>
