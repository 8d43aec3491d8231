/// RNNPool over one row of 8×8 patches (NETWORK.md §3).
///
/// RNN1: the 16 sequences of one patch (its 8 rows, then its 8 columns) run side by
/// side in the 16 SIMD lanes, so each patch is 8 steps of 16-lane work.
/// RNN2: four patches at a time, each contributing its four sweeps (row forward, row
/// backward, column forward, column backward) as lanes 4p+0…4p+3. The input
/// projection W₂·summary is computed once per summary and shared by the forward and
/// backward sweep that read it.
struct RNNPoolRowKernel {
    let rnn1: FastGRNNLanes
    let rnn2: FastGRNNLanes
    let channels: Int        // C0
    let stride: Int          // S
    let patchesX: Int
    let paddedWidth: Int
    static let patch = 8

    /// Scratch floats the kernel needs (arena).
    var scratchFloats: Int {
        let h1 = rnn1.hidden, h2 = rnn2.hidden
        // x (C0) + a/h/tmp per rnn, plus 4 patches × h2 projected summaries.
        return 16 * (channels + 3 * h1 + 3 * h2 + 4 * h2)
    }

    /// `rows[r]` points at stem row (4·py + r), channels-last with `channels` floats per
    /// pixel. `out` receives `paddedWidth × 4·h2` floats.
    func run(rows: UnsafePointer<UnsafePointer<Float>>, out: UnsafeMutablePointer<Float>,
             scratch: UnsafeMutablePointer<Float>) {
        let c0 = channels, h1 = rnn1.hidden, h2 = rnn2.hidden
        let v = UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: SIMD16<Float>.self)
        let x = v, a1 = x + c0, hA = a1 + h1, t1 = hA + h1
        let a2 = t1 + h1, hB = a2 + h2, t2 = hB + h2
        let proj = t2 + h2                      // [4 patches][h2] vectors over 16 summaries
        let xf = UnsafeMutableRawPointer(x).assumingMemoryBound(to: Float.self)
        let a2f = UnsafeMutableRawPointer(a2).assumingMemoryBound(to: Float.self)
        let projf = UnsafeMutableRawPointer(proj).assumingMemoryBound(to: Float.self)
        let hBf = UnsafeMutableRawPointer(hB).assumingMemoryBound(to: Float.self)
        let outC = 4 * h2

        var g = 0
        while g < patchesX {
            let count = min(4, patchesX - g)
            for p in 0..<count {
                let x0 = (g + p) * stride
                for t in 0..<8 {
                    // Lane l < 8: row l at column t; lane 8 + k: column k at row t.
                    let rowT = rows[t] + (x0 &* c0)
                    let colT = x0 &+ t
                    for c in 0..<c0 {
                        let dst = xf + c &* 16
                        for l in 0..<8 {
                            dst[l] = rows[l][colT &* c0 &+ c]
                            dst[8 &+ l] = rowT[l &* c0 &+ c]
                        }
                    }
                    rnn1.inputProjection(x, into: a1)
                    rnn1.step(a1, h: hA, scratch: t1, first: t == 0)
                }
                // Project all 16 summaries through W₂ once: proj[p][j] over lanes s.
                rnn2.inputProjection(hA, into: proj + p &* h2)
            }
            for p in count..<4 { (proj + p &* h2).update(repeating: SIMD16(), count: h2) }
            for t in 0..<8 {
                // Lane 4p+q reads summary s(q, t) of patch p.
                let s0 = t, s1 = 7 - t, s2 = 8 + t, s3 = 15 - t
                for j in 0..<h2 {
                    let dst = a2f + j &* 16
                    for p in 0..<4 {
                        let src = projf + (p &* h2 &+ j) &* 16
                        dst[4 &* p] = src[s0]
                        dst[4 &* p &+ 1] = src[s1]
                        dst[4 &* p &+ 2] = src[s2]
                        dst[4 &* p &+ 3] = src[s3]
                    }
                }
                rnn2.step(a2, h: hB, scratch: t2, first: t == 0)
            }
            for p in 0..<count {
                let o = out + (g + p) &* outC
                for q in 0..<4 {
                    for j in 0..<h2 { o[q &* h2 &+ j] = hBf[j &* 16 &+ 4 &* p &+ q] }
                }
            }
            g += 4
        }
        // EdgeML's replicate padding of the last column.
        let last = out + (patchesX - 1) * outC
        for px in patchesX..<paddedWidth { (out + px * outC).update(from: last, count: outC) }
    }
}
