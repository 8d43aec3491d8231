/// The whole detector network as a row-streamed pipeline inside one arena:
///
///     input (8-bit, 320×240) → stem rows → 8-row ring → RNNPool patch rows → 3-row ring
///       → block 0 → 3-row ring → block 1 → … ; heads read their block's ring
///
/// The stem pushes rows; every stage computes whatever its inputs now allow and pushes
/// its own rows on. Only rings of rows (and small scratch) are ever allocated, so the
/// arena peak is the sum of the rings plus the input, not any full activation map.
final class StreamingNetwork {
    let arch: Architecture
    let arena: Arena
    let stem: StemStage
    let pool: RNNPoolStage
    let blocks: [BlockStage]
    let heads: [HeadStage]
    let layerNames: [String]
    let inputLayer: Int
    let scratchLayer: Int
    let nmsLayer: Int

    /// `kernels` hold the weights (derived at load on the host, linked in flash on the
    /// M4); `scales` selects the int8 path (line buffers stored on these grids); nil
    /// runs the float32 reference path.
    init(arch: Architecture, kernels: NetworkKernels, arena: Arena, scales: ActivationScales?) {
        let grid = { (s: Float) in ActivationScale(s) }
        self.arch = arch
        self.arena = arena
        var names = ["input", "scratch", "stem", "rnnpool"]
        names += arch.blocks.indices.map { "blocks.\($0)" }
        names += arch.heads.indices.map { "heads.\($0)" }
        names.append("nms")
        layerNames = names
        arena.declareLayers(names)
        inputLayer = 0
        nmsLayer = names.count - 1

        scratchLayer = 1
        stem = StemStage(kernel: kernels.stem, arch: arch, arena: arena, layer: 2,
                         grid: scales.map { grid($0.stem) })
        pool = RNNPoolStage(kernel: kernels.pool, arch: arch, arena: arena, layer: 3, stem: stem,
                            grids: scales.map {
                                RNNPoolRowKernel.Grids(input: grid($0.stem), summaries: grid($0.summaries),
                                                       output: grid($0.rnnpool))
                            })
        stem.consumer = pool

        // Producers hold their consumers; a consumer reads its producer's ring through
        // an unowned reference, or the pair would keep each other (and the arena they
        // hold) alive after the detector is gone. The network owns every stage, so the
        // reference never outlives its target; unowned(unsafe) because Embedded Swift
        // (the Cortex-M4 firmware) has no checked unowned references.
        var blocks: [BlockStage] = []
        for (i, kernel) in kernels.blocks.enumerated() {
            let source: () -> FeatureRing
            if i == 0 {
                let p = pool
                source = { [unowned(unsafe) p] in p.ring! }
            } else {
                let prev = blocks[i - 1]
                source = { [unowned(unsafe) prev] in prev.ring! }
            }
            let stage = BlockStage(kernel: kernel, name: "blocks.\(i)", arena: arena,
                                   layer: 4 + i, grid: scales.map { grid($0.blocks[i]) }, input: source)
            if i == 0 { pool.consumers.append(stage) } else { blocks[i - 1].consumers.append(stage) }
            blocks.append(stage)
        }
        self.blocks = blocks

        let shapes = arch.blockShapes
        var heads: [HeadStage] = [], firstAnchor = 0
        for (k, h) in arch.heads.enumerated() {
            let src = blocks[h.block], shape = shapes[h.block]
            let stage = HeadStage(kernel: kernels.heads[k], index: k, head: h, width: shape.wout,
                                  height: shape.hout, variances: arch.postprocess.variances,
                                  firstAnchor: firstAnchor, arena: arena, layer: 4 + arch.blocks.count + k,
                                  input: { [unowned(unsafe) src] in src.ring! })
            firstAnchor += stage.anchorCount
            src.consumers.append(stage)
            heads.append(stage)
        }
        self.heads = heads
    }

    /// Floats of the one scratch buffer all stages share: kernels run one at a time and
    /// keep nothing in scratch across rows, so the largest need is enough.
    var sharedScratchFloats: Int {
        var n = pool.grids == nil ? pool.kernel.scratchFloats(storing: Float.self)
                                  : pool.kernel.scratchFloats(storing: Int8.self)
        for b in blocks { n = max(n, b.kernel.scratchFloats) }
        for h in heads { n = max(n, h.scratchFloats) }
        return n
    }

    var anchorCount: Int { heads.reduce(0) { $0 + $1.anchorCount } }

    /// The layers the last frame ran (every one before the first frame): `run`'s
    /// `activeHeads` and the blocks they read.
    var costOfLastFrame: NetworkCost {
        NetworkCost(arch).ran(blocks: blocks.map { $0.active }, heads: heads.map { $0.active })
    }

    var tap: LayerTap? {
        didSet {
            stem.tap = tap
            pool.tap = tap
            for b in blocks { b.tap = tap }
            for h in heads { h.tap = tap }
        }
    }

    /// Input rows per arena buffer when the frame is held: the input is held in chunks
    /// so that the rows the stem has passed go back to the arena while the rest of the
    /// network streams on. Two rows (640 B): the rings allocated early in the frame then
    /// fit into the holes the stem leaves (8-row chunks left the int8 peak 3,840 B higher).
    static let inputChunkRows = 2

    /// Input rows held when the input is streamed: the stem's 3×3 window at stride 2
    /// reads rows 2y−1, 2y, 2y+1, and row 2y+1 is read again for the next output row.
    static let streamedInputRows = 3

    /// Runs one frame. `inputRow(y, dst)` writes row y of the 8-bit network input
    /// (width bytes) into `dst`; `candidate` receives every anchor at or above
    /// `threshold` of the heads `activeHeads` marks (nil: every head; the others skip
    /// their rows, and so do the blocks that only they read).
    ///
    /// Streamed (`holdFrame` false): only the 3 rows the stem's window covers are in the
    /// arena, each written just before the stem first reads it, so the network's input
    /// costs 3 rows however large the frame. Held: the whole input is written first and
    /// given back in chunks as the stem passes them (the accounting before 2026-12-06,
    /// kept for comparison: `--hold-frame`).
    func run(threshold: Float, holdFrame: Bool, activeHeads: [Bool]? = nil,
             inputRow: (Int, UnsafeMutablePointer<UInt8>) -> Void,
             candidate: @escaping (Candidate) -> Void) throws(ArenaOverflowError) {
        // Block i runs when an active head reads it or a later block (which reads it).
        var lastNeeded = -1
        for (k, h) in arch.heads.enumerated() where activeHeads?[k] ?? true { lastNeeded = max(lastNeeded, h.block) }
        for (i, b) in blocks.enumerated() {
            b.reset()
            b.active = i <= lastNeeded
        }
        for (k, h) in heads.enumerated() {
            h.reset()
            h.active = activeHeads?[k] ?? true
            h.threshold = threshold
            h.candidates = candidate
        }
        pool.reset()
        stem.reset()
        arena.enter(inputLayer)
        let w = arch.input.width, h = arch.input.height
        let k = holdFrame ? StreamingNetwork.inputChunkRows : StreamingNetwork.streamedInputRows
        var chunks: [UnsafeMutablePointer<UInt8>?] = []
        if holdFrame {
            for c in 0..<((h + k - 1) / k) {
                chunks.append(try arena.allocate(UInt8.self, count: w * min(k, h - c * k)))
            }
        } else {
            chunks.append(try arena.allocate(UInt8.self, count: w * k))
        }
        let heldRow = { (y: Int) -> UnsafeMutablePointer<UInt8> in chunks[y / k]! + (y % k) * w }
        arena.enter(scratchLayer)
        let scratch = try arena.allocate(Float.self, count: sharedScratchFloats)
        defer { arena.free(scratch) }
        pool.scratch = scratch
        for b in blocks { b.scratch = scratch }
        for h in heads { h.out = scratch }
        arena.enter(inputLayer)
        pool.onPatchRow = { [arena] in arena.sample() }
        if holdFrame {
            for y in 0..<h { inputRow(y, heldRow(y)) }
            var released = 0
            try stem.run(inputRow: { UnsafePointer(heldRow($0)) }) { below in
                while (released + 1) * k <= below || (released < chunks.count && below >= h) {
                    arena.free(chunks[released]!)
                    chunks[released] = nil
                    released += 1
                }
            }
        } else {
            // Rows are asked for in increasing order, each at most 2 rows below the
            // newest one written, so slot y % 3 still holds row y when it is read.
            let ring = chunks[0]!
            var written = -1
            try stem.run(inputRow: { y in
                while written < y {
                    written += 1
                    inputRow(written, ring + (written % k) * w)
                }
                return UnsafePointer(ring + (y % k) * w)
            }) { _ in }
        }
        for c in chunks { if let c { arena.free(c) } }
    }
}
