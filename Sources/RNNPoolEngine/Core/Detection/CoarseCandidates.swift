/// Which candidates of the coarse pass join the fine pass's list, and where: boxes
/// mapped from the coarse input's pixels to the fine input's through the two
/// letterboxes; indices after the fine network's anchors, so ties still rank by index.
struct CoarseCandidates {
    let scaleX: Float, scaleY: Float
    let fromX: Float, fromY: Float, toX: Float, toY: Float
    let indexOffset: Int32
    /// Coarse anchor indices `firstAnchor ..< end` of the heads whose every anchor,
    /// scaled, is larger than the fine network's largest.
    let kept: [(first: Int, end: Int)]

    init(from small: Letterbox, to large: Letterbox, coarse: StreamingNetwork, fine: StreamingNetwork) {
        scaleX = Float(large.dw) / Float(small.dw)
        scaleY = Float(large.dh) / Float(small.dh)
        fromX = Float(small.ox)
        fromY = Float(small.oy)
        toX = Float(large.ox)
        toY = Float(large.oy)
        indexOffset = Int32(fine.anchorCount)
        var fineLargest: Float = 0
        for h in fine.heads { for s in h.sizes { fineLargest = max(fineLargest, s) } }
        var kept: [(first: Int, end: Int)] = []
        for h in coarse.heads {
            var smallest = Float.infinity
            for s in h.sizes { smallest = min(smallest, s) }
            if smallest * min(scaleX, scaleY) > fineLargest { kept.append((h.firstAnchor, h.firstAnchor + h.anchorCount)) }
        }
        self.kept = kept
    }

    /// `c` in the fine input's pixels, or nil when its head is not one of the kept.
    func fine(_ c: Candidate) -> Candidate? {
        let i = Int(c.index)
        var keep = false
        for r in kept where i >= r.first && i < r.end { keep = true }
        guard keep else { return nil }
        return Candidate(score: c.score, index: indexOffset + c.index,
                         x: (c.x - fromX) * scaleX + toX, y: (c.y - fromY) * scaleY + toY,
                         w: c.w * scaleX, h: c.h * scaleY)
    }
}
