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
    var threshold: Float = 0.5 { didSet { if threshold != oldValue { logitCut = Self.logitCut(below: threshold) } } }
    /// Face-minus-background logits below this score under `threshold` for certain, so
    /// their sigmoid is skipped (on most anchors: 1% of an x86 frame); every anchor at
    /// or above it is scored exactly as before.
    private var logitCut = HeadStage.logitCut(below: 0.5)
    var candidates: (Candidate) -> Void = { _ in }
    /// False for a frame whose caller drops this head's candidates (CoarseCandidates):
    /// its rows are passed over, not computed.
    var active = true
    /// The network's shared scratch (valid during a frame): holds one pass of output
    /// pixels from the kernel to the end of its `decode`, with no other stage running in
    /// between, after it the kernel's staging, then (L2-normalised heads) the window's
    /// three rows of inverse norms. Those are recomputed for each output row rather than
    /// kept across rows (3 × width floats of arena saved for 3 × width × channels
    /// multiply-adds).
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
    var smallestAnchor: Float { sizes.min() ?? 0 }
    var largestAnchor: Float { sizes.max() ?? 0 }

    /// Scratch floats this head needs: one pass of output pixels, the kernel's staging
    /// and, for an L2-normalised head, three rows of inverse norms.
    var scratchFloats: Int {
        HeadRowKernel.pixels * kernel.outPadded + kernel.stagingFloats + (kernel.l2norm ? 3 * width : 0)
    }

    /// Forgets any half-finished frame (after an arena overflow the arena is wiped).
    func reset() { next = 0 }

    func accept(row r: Int) throws(ArenaOverflowError) {
        arena.enter(layer)   // owns no arena; samples taken while it runs are its layer's
        let src = input()
        if src.elementBytes == 1 { run(Int8.self, src, upTo: r) } else { run(Float.self, src, upTo: r) }
    }

    /// Computes (and decodes) every output row whose input window ends at or before row r.
    private func run<I: ActivationElement>(_: I.Type, _ src: FeatureRing, upTo r: Int) {
        while next < height && min(next + 1, height - 1) <= r {
            let y = next
            guard active else {
                next += 1
                continue
            }
            let rows = ThreeRows(first: y - 1, height: height) { UnsafePointer(src.row($0, as: I.self)) }
            let pass = out!, staging = pass + HeadRowKernel.pixels * kernel.outPadded
            var ns = ThreeRows<Float>(nil, nil, nil)
            if kernel.l2norm {
                let norms = staging + kernel.stagingFloats
                for k in 0..<3 {
                    guard let row = rows[k] else { continue }
                    kernel.inverseNorms(row: row, width: width, grid: src.scale, into: norms + k * width)
                }
                ns = ThreeRows(first: y - 1, height: height) { UnsafePointer(norms + ($0 - (y - 1)) * width) }
            }
            // Taps (tests, debugging) see whole rows: gathered outside the arena.
            var tapped = tap == nil ? [] : [Float](repeating: 0, count: width * kernel.outPadded)
            // On the int8 path the score channels come first, and the loc-only ones (a third
            // to a half of a head's sums) only for passes where an anchor may score: most
            // of a frame has no face (issue 22). Taps see every channel.
            let split = tap == nil && kernel.splitsScores
            var x = 0
            while x < width {
                let count = min(HeadRowKernel.pixels, width - x)
                func compute(_ outputs: Range<Int>? = nil, stage: Bool = true) {
                    kernel.runPass(x: x, width: width, rows: rows, norms: ns, scale: src.scale.scale, out: pass,
                                   staging: staging, outputs: outputs, stage: stage)
                }
                if split {
                    compute(kernel.scoreStart..<kernel.outPadded)
                    if mayScore(count: count, from: pass) {
                        compute(0..<kernel.scoreStart, stage: false)
                        decode(row: y, pixels: x, count: count, from: pass)
                    }
                } else {
                    compute()
                    if !tapped.isEmpty {
                        for i in 0..<(count * kernel.outPadded) { tapped[x * kernel.outPadded + i] = pass[i] }
                    }
                    decode(row: y, pixels: x, count: count, from: pass)
                }
                x += count
            }
            if let tap {
                tapped.withUnsafeBufferPointer { t in
                    tap("heads.\(index).loc", y, width, kernel.locCount, kernel.outPadded, t.baseAddress!)
                    tap("heads.\(index).conf", y, width, kernel.confCount, kernel.outPadded, t.baseAddress! + kernel.locCount)
                }
            }
            next += 1
        }
    }

    /// A logit d with sigmoid(d) < t for every d below it: the largest point bisection finds
    /// with the engine's own sigmoid under t, less a margin (0.01, far beyond the ulp-sized
    /// wiggles of its exp) so that no d below it can reach t.
    static func logitCut(below t: Float) -> Float {
        var lo: Float = -100, hi: Float = 100
        guard Activations.sigmoid(lo) < t else { return -.infinity }
        guard Activations.sigmoid(hi) >= t else { return .infinity }
        for _ in 0..<40 {
            let mid = (lo + hi) / 2
            if Activations.sigmoid(mid) < t { lo = mid } else { hi = mid }
        }
        return lo - 0.01
    }

    /// Face-minus-background logit of anchor `ai` of the pixel whose outputs are `px`.
    @inline(__always)
    private func logit(_ px: UnsafePointer<Float>, anchor ai: Int) -> Float {
        let conf = px + kernel.locCount + (background + 1) * ai
        var bg = conf[0]
        for i in 1..<background { bg = max(bg, conf[i]) }
        return conf[background] - bg
    }

    /// Whether any anchor of the pass's `count` pixels reaches `logitCut` (its conf
    /// channels computed): only then can `decode` find a candidate there.
    private func mayScore(count: Int, from o: UnsafeMutablePointer<Float>) -> Bool {
        for i in 0..<count {
            for ai in 0..<sizes.count where logit(o + i * kernel.outPadded, anchor: ai) >= logitCut { return true }
        }
        return false
    }

    /// Scores every anchor of pixels x0 ..< x0 + count of row y (`o`: their outputs);
    /// decodes the ones at or above the threshold.
    private func decode(row y: Int, pixels x0: Int, count: Int, from o: UnsafeMutablePointer<Float>) {
        let op = kernel.outPadded, a = sizes.count
        for x in x0..<(x0 + count) {
            let px = o + (x - x0) * op
            for ai in 0..<a {
                let logit = logit(px, anchor: ai)
                guard logit >= logitCut else { continue }
                let score = Activations.sigmoid(logit)
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
