/// Which heads of each pass run when a network runs larger than the model's own input
/// with a coarse pass at the model's size after it (NETWORK.md §6b): the others' candidates
/// would be dropped, so they are not computed. And where the coarse pass's candidates go:
/// boxes mapped from the coarse input's pixels to the fine input's through the two
/// letterboxes; indices after the fine network's anchors, so ties still rank by index.
struct CoarseCandidates {
    let scaleX: Float, scaleY: Float
    let fromX: Float, fromY: Float, toX: Float, toY: Float
    let indexOffset: Int32
    /// Per head of each pass, whether it contributes (StreamingNetwork.run's `activeHeads`).
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
        let keepsCoarse: (HeadStage) -> Bool, keepsFine: (HeadStage) -> Bool
        if let split = fine.arch.postprocess.coarseSplit {
            keepsCoarse = { $0.largestAnchor > split }
            keepsFine = { $0.largestAnchor / scale <= split }
        } else {
            var fineLargest: Float = 0
            for h in fine.heads { fineLargest = max(fineLargest, h.largestAnchor) }
            keepsCoarse = { $0.smallestAnchor * scale > fineLargest }
            keepsFine = { _ in true }
        }
        coarseHeads = coarse.heads.map(keepsCoarse)
        fineHeads = fine.heads.map(keepsFine)
    }

    /// A coarse pass's candidate `c` in the fine input's pixels.
    func fine(_ c: Candidate) -> Candidate {
        Candidate(score: c.score, index: indexOffset + c.index,
                  x: (c.x - fromX) * scaleX + toX, y: (c.y - fromY) * scaleY + toY,
                  w: c.w * scaleX, h: c.h * scaleY)
    }
}
