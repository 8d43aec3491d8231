/// Which candidates of each pass join the list when a network runs larger than the
/// model's own input with a coarse pass at the model's size after it (NETWORK.md §6b),
/// and where the coarse ones go: boxes mapped from the coarse input's pixels to the fine
/// input's through the two letterboxes; indices after the fine network's anchors, so ties
/// still rank by index.
struct CoarseCandidates {
    let scaleX: Float, scaleY: Float
    let fromX: Float, fromY: Float, toX: Float, toY: Float
    let indexOffset: Int32
    /// Coarse anchor indices `first ..< end` of the heads that contribute.
    let coarseKept: [(first: Int, end: Int)]
    /// Fine anchor indices of the heads that contribute; nil: every head.
    let fineKept: [(first: Int, end: Int)]?
    /// Per head of each pass, whether it contributes: the others need not run at all.
    let fineHeads: [Bool], coarseHeads: [Bool]

    /// The split between the passes, by each head's anchors:
    /// - with the header's `coarse_split` S (model pixels): a coarse head contributes when
    ///   its largest anchor exceeds S, a fine head when its largest anchor, divided by the
    ///   fine letterbox's scale over the coarse one's, is at most S. Each pass then finds
    ///   the faces it meets at the sizes the network was trained on: the larger pass's
    ///   largest anchors meet big faces at up to twice that size, which the coarse pass
    ///   finds better (val AP50 at 640×480: 0.843 → 0.851, no width bucket lower);
    /// - without it (older files): every fine head, and the coarse heads whose every
    ///   anchor, scaled, is larger than the fine network's largest.
    init(from small: Letterbox, to large: Letterbox, coarse: StreamingNetwork, fine: StreamingNetwork) {
        scaleX = Float(large.dw) / Float(small.dw)
        scaleY = Float(large.dh) / Float(small.dh)
        fromX = Float(small.ox)
        fromY = Float(small.oy)
        toX = Float(large.ox)
        toY = Float(large.oy)
        indexOffset = Int32(fine.anchorCount)
        let scale = min(scaleX, scaleY)
        func anchors(_ heads: [HeadStage], where keep: (HeadStage) -> Bool) -> [(first: Int, end: Int)] {
            heads.filter(keep).map { ($0.firstAnchor, $0.firstAnchor + $0.anchorCount) }
        }
        let keepsCoarse: (HeadStage) -> Bool, keepsFine: ((HeadStage) -> Bool)?
        if let split = fine.arch.postprocess.coarseSplit {
            keepsCoarse = { $0.largestAnchor > split }
            keepsFine = { $0.largestAnchor / scale <= split }
        } else {
            var fineLargest: Float = 0
            for h in fine.heads { fineLargest = max(fineLargest, h.largestAnchor) }
            keepsCoarse = { $0.smallestAnchor * scale > fineLargest }
            keepsFine = nil
        }
        coarseKept = anchors(coarse.heads, where: keepsCoarse)
        fineKept = keepsFine.map { anchors(fine.heads, where: $0) }
        coarseHeads = coarse.heads.map(keepsCoarse)
        fineHeads = fine.heads.map { keepsFine?($0) ?? true }
    }

    /// Whether a candidate of the fine pass joins the list.
    func keepsFine(_ c: Candidate) -> Bool {
        guard let fineKept else { return true }
        return Self.contains(fineKept, c.index)
    }

    /// `c` in the fine input's pixels, or nil when its head does not contribute.
    func fine(_ c: Candidate) -> Candidate? {
        guard Self.contains(coarseKept, c.index) else { return nil }
        return Candidate(score: c.score, index: indexOffset + c.index,
                         x: (c.x - fromX) * scaleX + toX, y: (c.y - fromY) * scaleY + toY,
                         w: c.w * scaleX, h: c.h * scaleY)
    }

    private static func contains(_ ranges: [(first: Int, end: Int)], _ index: Int32) -> Bool {
        let i = Int(index)
        for r in ranges where i >= r.first && i < r.end { return true }
        return false
    }
}
