/// A read-only float array at a stable address, for weights the hot loops read
/// through raw pointers. Weights live here, outside the arena ("flash").
final class FloatBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    /// False for floats linked into the firmware's flash: they are never freed.
    private let owned: Bool

    init(_ values: [Float]) {
        owned = true
        count = values.count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }

    /// Floats that live elsewhere for the whole run (the firmware's flash), used in place.
    init(linked p: UnsafePointer<Float>, count: Int) {
        owned = false
        self.count = count
        pointer = UnsafeMutablePointer(mutating: p)
    }

    deinit { if owned { pointer.deallocate() } }

    var p: UnsafePointer<Float> { UnsafePointer(pointer) }
}
