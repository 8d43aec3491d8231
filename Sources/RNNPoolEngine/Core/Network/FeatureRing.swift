/// The last `capacity` rows of a channels-last feature map, in an arena buffer: row y
/// lives in slot y mod capacity. Producers write a row, then tell their consumers;
/// consumers read at most `capacity` rows back. This is how no full activation map
/// ever exists. Elements are float32 or int8 (`elementBytes`); value = stored · scale.
struct FeatureRing {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    let width: Int
    let stride: Int       // elements per pixel (channels rounded up to 8, or exact)
    let channels: Int
    let elementBytes: Int
    let scale: ActivationScale

    static func bytes(capacity: Int, width: Int, stride: Int, elementBytes: Int) -> Int {
        capacity * width * stride * elementBytes
    }

    var rowBytes: Int { width * stride * elementBytes }

    @inline(__always) func row(_ y: Int) -> UnsafeMutableRawPointer {
        base + (y % capacity) * rowBytes
    }

    @inline(__always) func row<T>(_ y: Int, as _: T.Type) -> UnsafeMutablePointer<T> {
        row(y).assumingMemoryBound(to: T.self)
    }

    /// Row y as floats (value = stored · scale), for taps only: tests and debugging
    /// look at every layer's output; normal runs never call this.
    func values(_ y: Int) -> [Float] {
        let n = width * stride, r = row(y)
        if elementBytes == 4 { return Array(UnsafeBufferPointer(start: r.assumingMemoryBound(to: Float.self), count: n)) }
        let q = r.assumingMemoryBound(to: Int8.self)
        return (0..<n).map { Float(q[$0]) * scale.scale }
    }
}

/// Receives the rows of a producer's output, in order, as soon as each is written.
protocol RowConsumer: AnyObject {
    func accept(row: Int) throws(ArenaOverflowError)
}

/// Where rows go when a test (or a debugging tool) wants to see every layer's output:
/// name, row index, width, channels, floats per pixel, data. Nil in normal runs, so
/// nothing is materialised.
public typealias LayerTap = (_ layer: String, _ row: Int, _ width: Int, _ channels: Int,
                             _ stride: Int, _ data: UnsafePointer<Float>) -> Void

extension FeatureRing {
    /// Hands row y to `tap` as floats.
    func send(_ y: Int, as name: String, to tap: LayerTap) {
        values(y).withUnsafeBufferPointer { tap(name, y, width, channels, stride, $0.baseAddress!) }
    }
}
