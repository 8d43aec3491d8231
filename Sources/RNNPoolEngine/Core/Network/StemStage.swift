/// Runs the stem row by row into an 8-row ring that the RNNPool stage reads patch rows
/// from (a patch row needs 8 stem rows, and advances by `stride` rows).
final class StemStage {
    let kernel: StemKernel
    let layer: Int
    let arena: Arena
    let height: Int
    let ringRows: Int
    var consumer: RowConsumer?
    var tap: LayerTap?
    private(set) var ring: FeatureRing?
    /// The int8 grid of the output, or nil for float32 rows.
    let grid: ActivationScale?

    init(kernel: StemKernel, arch: Architecture, arena: Arena, layer: Int, grid: ActivationScale?) {
        self.grid = grid
        self.kernel = kernel
        self.arena = arena
        self.layer = layer
        height = arch.stemHeight
        ringRows = arch.rnnpool.patch
    }

    func reset() { ring = nil }

    /// Computes every stem row. `inputRow(r)` is input row r; after each stem row,
    /// `releaseInput(r)` says that input rows below r are no longer needed.
    func run(inputRow: (Int) -> UnsafePointer<UInt8>, releaseInput: (Int) -> Void) throws(ArenaOverflowError) {
        arena.enter(layer)
        let w = kernel.outWidth, c = kernel.channels
        let eb = grid == nil ? 4 : 1
        let base = try arena.allocateBytes(FeatureRing.bytes(capacity: ringRows, width: w, stride: c, elementBytes: eb))
        let ring = FeatureRing(base: base, capacity: ringRows, width: w, stride: c, channels: c, elementBytes: eb,
                               scale: grid ?? .identity)
        self.ring = ring
        for y in 0..<height {
            arena.enter(layer)
            if let grid {
                kernel.run(row: y, inputRow: inputRow, out: ring.row(y, as: Int8.self), grid: grid)
            } else {
                kernel.run(row: y, inputRow: inputRow, out: ring.row(y, as: Float.self), grid: .identity)
            }
            releaseInput(y == height - 1 ? kernel.inHeight : 2 * y + 1)
            if let tap { ring.send(y, as: "stem", to: tap) }
            try consumer?.accept(row: y)
        }
        arena.free(base)
        self.ring = nil
    }
}
