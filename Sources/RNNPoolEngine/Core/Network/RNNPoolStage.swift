/// Runs RNNPool one patch row at a time as the stem's rows arrive, and emits the
/// replicate-padded output rows into a 3-row ring for the first MBConv block.
final class RNNPoolStage: RowConsumer {
    let kernel: RNNPoolRowKernel
    let layer: Int
    let arena: Arena
    /// Unowned: the stem holds this stage as its consumer, and the network owns both
    /// (unsafe: Embedded Swift has no checked unowned references).
    unowned(unsafe) let stem: StemStage
    let patchesY: Int
    let paddedHeight: Int
    let stride: Int
    let channels: Int
    /// Grids of the int8 path (summaries, output), or nil for float32 buffers.
    let grids: RNNPoolRowKernel.Grids?
    var consumers: [RowConsumer] = []
    var tap: LayerTap?
    var onPatchRow: (() -> Void)?
    private(set) var ring: FeatureRing?
    /// The network's shared scratch (valid during a frame), used only inside `kernel.run`.
    var scratch: UnsafeMutablePointer<Float>?
    private var rowPointers: UnsafeMutablePointer<UnsafeRawPointer>?
    private var carry: UnsafeMutableRawPointer?
    /// The gates' clamp proof for this stage's path, worked out on its first patch row.
    private var idle: RNNPoolRowKernel.IdleClamps?

    init(kernel: RNNPoolRowKernel, arch: Architecture, arena: Arena, layer: Int, stem: StemStage,
         grids: RNNPoolRowKernel.Grids?) {
        self.kernel = kernel
        self.arena = arena
        self.layer = layer
        self.stem = stem
        self.grids = grids
        patchesY = arch.patchesY
        paddedHeight = arch.rnnpool.padTo[1]
        stride = arch.rnnpool.stride
        channels = arch.poolChannels
    }

    /// Forgets any half-finished frame (after an arena overflow the arena is wiped).
    func reset() { ring = nil; rowPointers = nil; carry = nil }

    func accept(row r: Int) throws(ArenaOverflowError) {
        let p = RNNPoolRowKernel.patch
        guard r >= p - 1, (r - (p - 1)) % stride == 0 else { return }
        let py = (r - (p - 1)) / stride
        guard py < patchesY else { return }
        arena.enter(layer)
        let eb = grids == nil ? 4 : 1
        if ring == nil {
            let w = kernel.paddedWidth
            let base = try arena.allocateBytes(FeatureRing.bytes(capacity: 3, width: w, stride: channels, elementBytes: eb))
            ring = FeatureRing(base: base, capacity: 3, width: w, stride: channels, channels: channels,
                               elementBytes: eb, scale: grids?.output ?? .identity)
            rowPointers = try arena.allocate(UnsafeRawPointer.self, count: p)
            carry = try arena.allocateBytes(kernel.carryFloats * eb)
        }
        let ring = ring!, stemRing = stem.ring!
        for k in 0..<p { rowPointers![k] = UnsafeRawPointer(stemRing.row(stride * py + k)) }
        if let grids {
            let idle = idle ?? kernel.idleClamps(input: Int8.self, output: Int8.self, grids: grids)
            self.idle = idle
            kernel.run(py: py, rows: rowPointers!, input: Int8.self, stemWidth: stemRing.width,
                       out: ring.row(py, as: Int8.self), scratch: scratch!,
                       carry: carry!.assumingMemoryBound(to: Int8.self), grids: grids, idle: idle)
        } else {
            let idle = idle ?? kernel.idleClamps(input: Float.self, output: Float.self, grids: .identity)
            self.idle = idle
            kernel.run(py: py, rows: rowPointers!, input: Float.self, stemWidth: stemRing.width,
                       out: ring.row(py, as: Float.self), scratch: scratch!,
                       carry: carry!.assumingMemoryBound(to: Float.self), grids: .identity, idle: idle)
        }
        onPatchRow?()
        try emit(py)
        if py == patchesY - 1 {
            // EdgeML's replicate padding of the last row.
            for y in patchesY..<paddedHeight {
                ring.row(y).copyMemory(from: ring.row(patchesY - 1), byteCount: ring.rowBytes)
                try emit(y)
            }
            arena.free(carry!)
            arena.free(rowPointers!)
            arena.free(ring.base)
            self.ring = nil
        }
    }

    private func emit(_ y: Int) throws(ArenaOverflowError) {
        let ring = ring!
        if let tap { ring.send(y, as: "rnnpool", to: tap) }
        for c in consumers { try c.accept(row: y) }
        arena.enter(layer)
    }
}
