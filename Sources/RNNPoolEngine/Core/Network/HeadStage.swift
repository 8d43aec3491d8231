/// One detection head, streamed over its block's output rows. Each finished row of
/// loc/conf outputs is scored and decoded at once (NETWORK.md §6); candidates at or
/// above the threshold go into the frame's bounded candidate list.
final class HeadStage: RowConsumer {
    let kernel: HeadRowKernel
    let index: Int
    let layer: Int
    let arena: Arena
    let input: () -> FeatureRing
    let width: Int, height: Int
    let step: Float
    let sizes: [Float]
    let background: Int
    let variances: (Float, Float)
    let firstAnchor: Int
    var tap: LayerTap?
    var threshold: Float = 0.5
    var candidates: (Candidate) -> Void = { _ in }
    private var norms: UnsafeMutablePointer<Float>?
    /// The network's shared scratch (valid during a frame): holds one output row from
    /// `kernel.run` to the end of `decode`, with no other stage running in between, and
    /// after it the kernel's staging.
    var out: UnsafeMutablePointer<Float>?
    private var next = 0

    init(kernel: HeadRowKernel, index: Int, head: Architecture.Head, width: Int, height: Int,
         variances: [Float], firstAnchor: Int, arena: Arena, layer: Int, input: @escaping () -> FeatureRing) {
        self.kernel = kernel
        self.index = index
        self.width = width
        self.height = height
        step = head.step
        sizes = head.sizes
        background = head.background
        self.variances = (variances[0], variances[1])
        self.firstAnchor = firstAnchor
        self.arena = arena
        self.layer = layer
        self.input = input
    }

    var anchorCount: Int { width * height * sizes.count }

    /// Forgets any half-finished frame (after an arena overflow the arena is wiped).
    func reset() { next = 0; norms = nil }

    func accept(row r: Int) throws(ArenaOverflowError) {
        arena.enter(layer)
        if kernel.l2norm && norms == nil { norms = try arena.allocate(Float.self, count: 3 * width) }
        let src = input()
        if src.elementBytes == 1 { try run(Int8.self, src, upTo: r) } else { try run(Float.self, src, upTo: r) }
        if next == height, let n = norms {
            arena.free(n)
            norms = nil
        }
    }

    /// Computes (and decodes) every output row whose input window ends at or before row r.
    private func run<I: ActivationElement>(_: I.Type, _ src: FeatureRing, upTo r: Int) throws(ArenaOverflowError) {
        if let norms { kernel.inverseNorms(row: src.row(r, as: I.self), width: width, grid: src.scale,
                                           into: norms + (r % 3) * width) }
        while next < height && min(next + 1, height - 1) <= r {
            let y = next
            let rows = ThreeRows(first: y - 1, height: height) { UnsafePointer(src.row($0, as: I.self)) }
            let ns = norms.map { n in ThreeRows(first: y - 1, height: height) { UnsafePointer(n + ($0 % 3) * width) } }
                ?? ThreeRows(nil, nil, nil)
            kernel.run(width: width, rows: rows, norms: ns, scale: src.scale.scale, out: out!,
                       staging: out! + width * kernel.outPadded)
            if let tap {
                tap("heads.\(index).loc", y, width, kernel.locCount, kernel.outPadded, out!)
                tap("heads.\(index).conf", y, width, kernel.confCount, kernel.outPadded, out! + kernel.locCount)
            }
            decode(row: y)
            next += 1
        }
    }

    /// Scores every anchor of row y; decodes the ones at or above the threshold.
    private func decode(row y: Int) {
        let op = kernel.outPadded, nl = kernel.locCount, k = background + 1, a = sizes.count
        let o = out!
        for x in 0..<width {
            let px = o + x * op
            for ai in 0..<a {
                let conf = px + nl + k * ai
                var bg = conf[0]
                for i in 1..<background { bg = max(bg, conf[i]) }
                let score = Activations.sigmoid(conf[background] - bg)
                guard score >= threshold else { continue }
                let loc = px + 4 * ai
                let s = sizes[ai]
                let acx = (Float(x) + 0.5) * step, acy = (Float(y) + 0.5) * step
                let cx = acx + loc[0] * variances.0 * s
                let cy = acy + loc[1] * variances.0 * s
                let w = s * Activations.exp(loc[2] * variances.1)
                let h = s * Activations.exp(loc[3] * variances.1)
                let index = firstAnchor + (y * width + x) * a + ai
                candidates(Candidate(score: score, index: Int32(index), x: cx - w / 2, y: cy - h / 2, w: w, h: h))
            }
        }
    }
}
