/// One MBConv block, streamed: as its input rows arrive it computes every output row
/// whose 3×3 window is complete, into a 3-row ring its own consumers (the next block,
/// heads) read.
final class BlockStage: RowConsumer {
    let kernel: MBConvRowKernel
    let name: String
    let layer: Int
    let arena: Arena
    let input: () -> FeatureRing
    var consumers: [RowConsumer] = []
    var tap: LayerTap?
    private(set) var ring: FeatureRing?
    /// The network's shared scratch (valid during a frame): used only inside
    /// `kernel.run`, never across a call to a consumer.
    var scratch: UnsafeMutablePointer<Float>?
    private var next = 0

    init(kernel: MBConvRowKernel, name: String, arena: Arena, layer: Int, input: @escaping () -> FeatureRing) {
        self.kernel = kernel
        self.name = name
        self.arena = arena
        self.layer = layer
        self.input = input
    }

    /// Forgets any half-finished frame (after an arena overflow the arena is wiped).
    func reset() { next = 0; ring = nil }

    func accept(row r: Int) throws {
        let s = kernel.shape
        while next < s.hout && min(s.stride * next + 1, s.hin - 1) <= r {
            arena.enter(layer)
            if ring == nil {
                let base = try arena.allocate(Float.self, count: FeatureRing.floats(capacity: 3, width: s.wout, stride: kernel.outStride))
                ring = FeatureRing(base: base, capacity: 3, width: s.wout, stride: kernel.outStride, channels: s.cout)
            }
            let ring = ring!, src = input()
            let y = next
            kernel.run(row: y, inputRow: { UnsafePointer(src.row($0)) }, out: ring.row(y), scratch: scratch!)
            next += 1
            tap?(name, y, s.wout, s.cout, kernel.outStride, ring.row(y))
            for c in consumers { try c.accept(row: y) }
            if next == s.hout {
                arena.free(ring.base)
                self.ring = nil
            }
        }
    }
}
