/// One MBConv block, streamed: as its input rows arrive it computes every output row
/// whose 3×3 window is complete, into a 3-row ring its own consumers (the next block,
/// heads) read.
final class BlockStage: RowConsumer {
    let kernel: MBConvRowKernel
    let name: String
    let layer: Int
    let arena: Arena
    let input: () -> FeatureRing
    /// The int8 grid of the output, or nil for float32 rows (then the input is float32 too).
    let grid: ActivationScale?
    var consumers: [RowConsumer] = []
    var tap: LayerTap?
    private(set) var ring: FeatureRing?
    /// False for a frame in which no active head reads this block or a later one
    /// (StreamingNetwork.run): its rows are not computed, and its consumers get none.
    var active = true
    /// The network's shared scratch (valid during a frame): used only inside
    /// `kernel.run`, never across a call to a consumer.
    var scratch: UnsafeMutablePointer<Float>?
    private var next = 0

    init(kernel: MBConvRowKernel, name: String, arena: Arena, layer: Int, grid: ActivationScale?,
         input: @escaping () -> FeatureRing) {
        self.kernel = kernel
        self.name = name
        self.arena = arena
        self.layer = layer
        self.grid = grid
        self.input = input
    }

    /// Forgets any half-finished frame (after an arena overflow the arena is wiped).
    func reset() { next = 0; ring = nil }

    func accept(row r: Int) throws(ArenaOverflowError) {
        guard active else { return }
        let s = kernel.shape
        while next < s.hout && min(s.stride * next + 1, s.hin - 1) <= r {
            arena.enter(layer)
            let eb = grid == nil ? 4 : 1
            if ring == nil {
                let base = try arena.allocateBytes(FeatureRing.bytes(capacity: 3, width: s.wout, stride: kernel.outStride,
                                                                     elementBytes: eb))
                ring = FeatureRing(base: base, capacity: 3, width: s.wout, stride: kernel.outStride, channels: s.cout,
                                   elementBytes: eb, scale: grid ?? .identity)
            }
            let ring = ring!, src = input()
            let y = next
            if let grid {
                kernel.run(row: y, inputRow: { UnsafePointer(src.row($0, as: Int8.self)) }, out: ring.row(y, as: Int8.self),
                           scratch: scratch!, inGrid: src.scale, outGrid: grid)
            } else {
                kernel.run(row: y, inputRow: { UnsafePointer(src.row($0, as: Float.self)) }, out: ring.row(y, as: Float.self),
                           scratch: scratch!, inGrid: .identity, outGrid: .identity)
            }
            next += 1
            if let tap { ring.send(y, as: name, to: tap) }
            for c in consumers { try c.accept(row: y) }
            if next == s.hout {
                arena.free(ring.base)
                self.ring = nil
            }
        }
    }
}
