extension StreamingNetwork {
    /// One frame, as the host detector and the Cortex-M4 firmware both run it: the
    /// letterbox writes the network's input into the arena, the streamed network sends
    /// candidates into a bounded list in the arena, NMS keeps the best, and the boxes
    /// come back in the source's pixels, best first.
    /// `holdFrame`: letterbox the whole input into the arena first (see `run`).
    /// `coarse`: the same weights at a smaller input (the model's own 320×240 when this
    /// network runs larger, `--input-size`), run after this one in the same arena; the
    /// candidates of both join the same list before NMS, each pass's from the heads
    /// `CoarseCandidates` picks, so faces too large for this network's anchors are still
    /// found. With a coarse pass, a source smaller than this network's input is not
    /// enlarged (Letterbox `upscale`).
    func detectFaces(luma: UnsafePointer<UInt8>, width: Int, height: Int, threshold: Float,
                     holdFrame: Bool = false, coarse: StreamingNetwork? = nil) throws(ArenaOverflowError) -> [FaceBox] {
        let letterbox = Letterbox(sourceWidth: width, sourceHeight: height,
                                  width: arch.input.width, height: arch.input.height, upscale: coarse == nil)
        arena.beginFrame()
        let kept: [Candidate]
        do throws(ArenaOverflowError) {
            arena.enter(nmsLayer)
            let capacity = arch.postprocess.topK
            let storage = try arena.allocate(Candidate.self, count: capacity)
            var list = CandidateList(storage: storage, capacity: capacity)
            // The coarse pass's letterbox, and which candidates each pass adds (decided
            // before the fine pass, whose heads it may leave out too).
            let second = coarse.map { c -> (network: StreamingNetwork, letterbox: Letterbox, map: CoarseCandidates) in
                let small = Letterbox(sourceWidth: width, sourceHeight: height,
                                      width: c.arch.input.width, height: c.arch.input.height)
                return (c, small, CoarseCandidates(from: small, to: letterbox, coarse: c, fine: self))
            }
            // Only the heads on each pass's side of the split run (at 640×480 with the
            // shipped split: not the fine pass's head 4, nor the coarse pass's heads 0–2).
            try run(threshold: threshold, holdFrame: holdFrame, activeHeads: second?.map.fineHeads, inputRow: { y, row in
                letterbox.fillRow(y, source: luma, into: row)
            }, candidate: { list.insert($0) })
            if let second {
                try second.network.run(threshold: threshold, holdFrame: holdFrame, activeHeads: second.map.coarseHeads,
                                       inputRow: { y, row in
                    second.letterbox.fillRow(y, source: luma, into: row)
                }, candidate: { list.insert(second.map.fine($0)) })
            }
            arena.enter(nmsLayer)
            let sorted = list.sorted()
            let survivors = NonMaximumSuppression.run(sorted, iou: arch.postprocess.nmsIoU,
                                                      nested: arch.postprocess.nmsNested,
                                                      maxDetections: arch.postprocess.maxDetections)
            if let vote = arch.postprocess.boxVote {
                kept = NonMaximumSuppression.vote(survivors, among: sorted, iou: vote)
            } else {
                kept = survivors
            }
            arena.free(storage)
        } catch {
            arena.releaseAll()
            throw error
        }
        arena.sample()
        return kept.map { c -> FaceBox in
            let b = letterbox.toSource(x: c.x, y: c.y, w: c.w, h: c.h)
            return FaceBox(x: b.x, y: b.y, w: b.w, h: b.h, score: c.score)
        }
    }
}
