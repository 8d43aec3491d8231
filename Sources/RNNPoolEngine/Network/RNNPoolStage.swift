/// Runs RNNPool one patch row at a time as the stem's rows arrive, and emits the
/// replicate-padded output rows into a 3-row ring for the first MBConv block.
final class RNNPoolStage: RowConsumer {
    let kernel: RNNPoolRowKernel
    let layer: Int
    let arena: Arena
    /// Unowned: the stem holds this stage as its consumer, and the network owns both.
    unowned let stem: StemStage
    let patchesY: Int
    let paddedHeight: Int
    let stride: Int
    let channels: Int
    var consumers: [RowConsumer] = []
    var tap: LayerTap?
    var onPatchRow: (() -> Void)?
    private(set) var ring: FeatureRing?
    /// The network's shared scratch (valid during a frame), used only inside `kernel.run`.
    var scratch: UnsafeMutablePointer<Float>?
    private var rowPointers: UnsafeMutablePointer<UnsafePointer<Float>>?
    private var carry: UnsafeMutablePointer<Float>?

    init(kernel: RNNPoolRowKernel, arch: Architecture, arena: Arena, layer: Int, stem: StemStage) {
        self.kernel = kernel
        self.arena = arena
        self.layer = layer
        self.stem = stem
        patchesY = arch.patchesY
        paddedHeight = arch.rnnpool.padTo[1]
        stride = arch.rnnpool.stride
        channels = arch.poolChannels
    }

    /// Forgets any half-finished frame (after an arena overflow the arena is wiped).
    func reset() { ring = nil; rowPointers = nil; carry = nil }

    func accept(row r: Int) throws {
        let p = RNNPoolRowKernel.patch
        guard r >= p - 1, (r - (p - 1)) % stride == 0 else { return }
        let py = (r - (p - 1)) / stride
        guard py < patchesY else { return }
        arena.enter(layer)
        if ring == nil {
            let w = kernel.paddedWidth
            let base = try arena.allocate(Float.self, count: FeatureRing.floats(capacity: 3, width: w, stride: channels))
            ring = FeatureRing(base: base, capacity: 3, width: w, stride: channels, channels: channels)
            rowPointers = try arena.allocate(UnsafePointer<Float>.self, count: p)
            carry = try arena.allocate(Float.self, count: kernel.carryFloats)
        }
        let ring = ring!, stemRing = stem.ring!
        for k in 0..<p { rowPointers![k] = UnsafePointer(stemRing.row(stride * py + k)) }
        kernel.run(py: py, rows: rowPointers!, stemWidth: stemRing.width, out: ring.row(py),
                   scratch: scratch!, carry: carry!)
        onPatchRow?()
        try emit(py)
        if py == patchesY - 1 {
            // EdgeML's replicate padding of the last row.
            for y in patchesY..<paddedHeight {
                ring.row(y).update(from: ring.row(patchesY - 1), count: ring.width * ring.stride)
                try emit(y)
            }
            arena.free(carry!)
            arena.free(rowPointers!)
            arena.free(ring.base)
            self.ring = nil
        }
    }

    private func emit(_ y: Int) throws {
        let ring = ring!
        tap?("rnnpool", y, ring.width, channels, channels, ring.row(y))
        for c in consumers { try c.accept(row: y) }
        arena.enter(layer)
    }
}
