/// The last `capacity` rows of a channels-last feature map, in an arena buffer: row y
/// lives in slot y mod capacity. Producers write a row, then tell their consumers;
/// consumers read at most `capacity` rows back. This is how no full activation map
/// ever exists.
struct FeatureRing {
    let base: UnsafeMutablePointer<Float>
    let capacity: Int
    let width: Int
    let stride: Int       // floats per pixel (channels rounded up to 8, or exact)
    let channels: Int

    static func floats(capacity: Int, width: Int, stride: Int) -> Int { capacity * width * stride }

    @inline(__always) func row(_ y: Int) -> UnsafeMutablePointer<Float> {
        base + (y % capacity) * width * stride
    }
}

/// Receives the rows of a producer's output, in order, as soon as each is written.
protocol RowConsumer: AnyObject {
    func accept(row: Int) throws
}

/// Where rows go when a test (or a debugging tool) wants to see every layer's output:
/// name, row index, width, channels, floats per pixel, data. Nil in normal runs, so
/// nothing is materialised.
public typealias LayerTap = (_ layer: String, _ row: Int, _ width: Int, _ channels: Int,
                             _ stride: Int, _ data: UnsafePointer<Float>) -> Void
