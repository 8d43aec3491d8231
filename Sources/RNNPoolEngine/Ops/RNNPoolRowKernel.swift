#if canImport(CKernels)
import CKernels
#endif

/// RNNPool over one row of 8×8 patches (NETWORK.md §3).
///
/// Patches overlap (stride S < P), so many RNN1 sequences are shared:
///  - column k ≥ S of patch x is column k − S of patch x + 1: column sequences are
///    run once per stem column (16 stem columns in the 16 SIMD lanes);
///  - row r ≥ S of patch row y is row r − S of patch row y + 1: those row summaries are
///    carried to the next patch row (`carry`), and only the last S rows of each patch
///    are run fresh (4 patches × 4 rows fill the 16 lanes).
/// RNN2 then runs four patches at a time, each contributing its four sweeps (row
/// forward, row backward, column forward, column backward) as lanes 4p+0…4p+3; the
/// input projection W₂·summary is computed once per summary and shared by the forward
/// and backward sweep that read it.
struct RNNPoolRowKernel {
    let rnn1: FastGRNNLanes
    let rnn2: FastGRNNLanes
    let channels: Int        // C0
    let stride: Int          // S
    let patchesX: Int
    let paddedWidth: Int
    static let patch = 8

    /// Row summaries per patch that move on to the next patch row (P − S of them).
    var carryRows: Int { max(0, RNNPoolRowKernel.patch - stride) }

    /// Floats of the carry buffer, which must live from one patch row to the next.
    var carryFloats: Int { max(1, patchesX * carryRows * rnn1.hidden) }

    /// Scratch floats the kernel needs per patch row (arena).
    var scratchFloats: Int {
        let h1 = rnn1.hidden, h2 = rnn2.hidden, m = max(h1, h2)
        // SIMD16 vectors: x, one a/h/tmp set shared by RNN1 and RNN2 (never running at
        // once: RNN1's results are copied out after each sweep, RNN2's after each group),
        // 4 patches' projections, one patch's 16 summaries, 3 column chunks; then 4
        // patches × 8 fresh row summaries, then 16 lane addresses (int8 gathers). The
        // lanes' rows, pixels and slots reuse the projections and the summary, or (the
        // tiniest RNNs) get their own room after the addresses.
        return 16 * (channels + 3 * m + 4 * h2 + h1 + 3 * h1) + 4 * 8 * h1 + 16 * 2
            + (laneTablesFitInProjections ? 0 : RNNPoolRowKernel.laneTableFloats)
    }

    /// Floats of the lane tables: rows, pixels and fresh-summary slots, 16 Ints each.
    static let laneTableFloats = 3 * 16 * MemoryLayout<Int>.stride / MemoryLayout<Float>.stride

    /// True when the projections and the summary (free during the sweeps) hold them.
    var laneTablesFitInProjections: Bool {
        16 * (4 * rnn2.hidden + rnn1.hidden) >= RNNPoolRowKernel.laneTableFloats
    }

    /// The grids of what this kernel reads and stores: stem rows (`input`), RNN1
    /// summaries (`summaries`: RNN2 reads them rounded to this grid, and the carried
    /// ones are stored on it) and the output. All identity on the float path.
    struct Grids {
        var input: ActivationScale, summaries: ActivationScale, output: ActivationScale
        static let identity = Grids(input: .identity, summaries: .identity, output: .identity)
    }

    /// `rows[r]` points at stem row (S·py + r), channels-last with `channels` elements
    /// of type `I` per pixel; `stemWidth` is its width. `out` receives
    /// `paddedWidth × 4·h2` elements; `carry` keeps summaries for the next patch row.
    func run<I: ActivationElement, O: ActivationElement>(
        py: Int, rows rawRows: UnsafePointer<UnsafeRawPointer>, input _: I.Type, stemWidth: Int,
        out: UnsafeMutablePointer<O>, scratch: UnsafeMutablePointer<Float>,
        carry: UnsafeMutablePointer<O>, grids: Grids) {
        let sIn = grids.input.scale, sSum = grids.summaries, outInv = grids.output.inverse
        let rows = UnsafeMutableRawPointer(mutating: rawRows).assumingMemoryBound(to: UnsafePointer<I>.self)
        let c0 = channels, h1 = rnn1.hidden, h2 = rnn2.hidden, S = stride, P = RNNPoolRowKernel.patch
        let v = UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: SIMD16<Float>.self)
        let m = max(h1, h2)
        let x = v, a1 = x + c0, hA = a1 + m, t1 = hA + m
        let a2 = a1, hB = hA, t2 = t1          // RNN2 reuses RNN1's vectors (see scratchFloats)
        let proj = t1 + m                       // [4 patches][h2] vectors over 16 summaries
        let summary = proj + 4 &* h2            // [h1] vectors over the 16 summaries of one patch
        let chunks = summary + h1               // [3 slots][h1] vectors over 16 stem columns
        let freshF = UnsafeMutableRawPointer(chunks + 3 &* h1).assumingMemoryBound(to: Float.self)  // [4][8][h1]
        let xf = UnsafeMutableRawPointer(x).assumingMemoryBound(to: Float.self)
        let hAf = UnsafeMutableRawPointer(hA).assumingMemoryBound(to: Float.self)
        let a2f = UnsafeMutableRawPointer(a2).assumingMemoryBound(to: Float.self)
        let projf = UnsafeMutableRawPointer(proj).assumingMemoryBound(to: Float.self)
        let sumf = UnsafeMutableRawPointer(summary).assumingMemoryBound(to: Float.self)
        let chunkf = UnsafeMutableRawPointer(chunks).assumingMemoryBound(to: Float.self)
        let hBf = UnsafeMutableRawPointer(hB).assumingMemoryBound(to: Float.self)
        let outC = 4 * h2
        let carried = (py == 0) ? 0 : carryRows     // rows 0 ..< carried come from `carry`
        var chunkIDs = SIMD3<Int>(repeating: -1)
        // Input bounds for the gates' clamp proof (FastGRNNLanes.clampIsIdle): stem
        // outputs are ReLU6 (|x| ≤ 6; on an int8 grid at most 127 steps), RNN1 summaries
        // are bounded by RNN1's state bound, plus half a step where they are rounded.
        let stemBound = I.self == Float.self ? 6 : Double(127 * sIn)
        let summaryBound = rnn1.stateBound(steps: P) + (O.self == Float.self ? 0 : Double(sSum.scale) / 2)
        let idle1 = rnn1.clampIsIdle(inputBound: stemBound, steps: P)
        let idle2 = rnn2.clampIsIdle(inputBound: summaryBound, steps: P)
        // The int8 path's gates use the compact exp (its summaries and outputs are
        // rounded to 8 bits); the float path keeps the precise one.
        let compact = O.self == Int8.self

        // Per-lane input addresses, worked out once per sweep (not per step). Small
        // fixed-size values and the scratch: nothing is allocated outside the arena.
        let lanePointers = UnsafeMutableRawPointer(freshF + 4 &* 8 &* h1).assumingMemoryBound(to: UnsafeRawPointer.self)
        // Each lane's input row, first pixel and fresh-summary slot, in plain memory (a
        // SIMD16<Int> element store compiled to a round trip of the whole vector through
        // the stack). They live in `proj` and `summary`, which only steps 3 and 4 use,
        // after the sweeps and the copy-out that last reads them (scratchFloats).
        let laneBase = UnsafeMutableRawPointer(laneTablesFitInProjections ? UnsafeMutableRawPointer(proj)
                                                                          : UnsafeMutableRawPointer(lanePointers + 16))
            .assumingMemoryBound(to: Int.self)
        let laneRow = laneBase + 16, laneSlot = laneBase + 32

        /// Runs RNN1 over 8 steps for 16 lanes. Row sweeps (`alongRow`): lane l reads
        /// row `laneRow[l]` at pixel `laneBase[l] + t`; column sweeps: lane l reads stem
        /// row t at pixel `laneBase[l]`.
        func sweep(alongRow: Bool) {
            if I.self == Int8.self && c0 == 4 {
                // One 32-bit load per lane and step; column sweeps over 16 consecutive
                // pixels are one 64-byte load.
                for l in 0..<16 {
                    lanePointers[l] = UnsafeRawPointer(alongRow ? rows[laneRow[l]] + laneBase[l] &* 4 : rows[0] + laneBase[l] &* 4)
                }
                let contiguous = !alongRow && laneBase[15] == laneBase[0] &+ 15
                for t in 0..<P {
                    let v: SIMD16<UInt32>
                    if alongRow {
                        v = gatherQuads(lanePointers, offset: t &* 4)
                    } else if contiguous {
                        v = UnsafeRawPointer(rows[t] + laneBase[0] &* 4).loadUnaligned(as: SIMD16<UInt32>.self)
                    } else {
                        for l in 0..<16 { lanePointers[l] = UnsafeRawPointer(rows[t] + laneBase[l] &* 4) }
                        v = gatherQuads(lanePointers, offset: 0)
                    }
                    unpackInt8Quads(v, scale: sIn, into: x)
                    rnn1.inputProjection(x, into: a1)
                    rnn1.step(a1, h: hA, scratch: t1, first: t == 0, clampIdle: idle1, compact: compact)
                }
                return
            }
            for t in 0..<P {
                for l in 0..<16 {
                    let src = alongRow ? rows[laneRow[l]] + (laneBase[l] &+ t) &* c0
                                       : rows[t] + laneBase[l] &* c0
                    for c in 0..<c0 { xf[c &* 16 &+ l] = src[c].stored * sIn }
                }
                rnn1.inputProjection(x, into: a1)
                rnn1.step(a1, h: hA, scratch: t1, first: t == 0, clampIdle: idle1, compact: compact)
            }
        }

        /// Makes sure column chunk `id` (stem columns 16·id ..< 16·id + 16) is computed.
        func ensureChunk(_ id: Int) {
            let slot = id % 3
            if chunkIDs[slot] == id { return }
            for l in 0..<16 { laneBase[l] = min(16 &* id &+ l, stemWidth - 1) }  // lanes past the edge are unused
            sweep(alongRow: false)
            // Column summaries are rounded to the summary grid once, here (NETWORK.md §7).
            for j in 0..<h1 { chunks[slot &* h1 &+ j] = sSum.roundTrip(hA[j], O.self) }
            chunkIDs[slot] = id
        }

        var g = 0
        while g < patchesX {
            let count = min(4, patchesX - g)
            // 1. Fresh row sequences of these patches, 16 (patch, row) pairs at a time.
            let freshPerPatch = P - carried
            let pairs = count * freshPerPatch
            var first = 0
            while first < pairs {
                // Lane l runs pair first + l (patch p, row r), counted on without a division;
                // lanes past the last pair repeat it.
                var p = first / freshPerPatch, r = first % freshPerPatch
                for l in 0..<16 {
                    if first &+ l < pairs {
                        laneRow[l] = carried &+ r
                        laneBase[l] = S &* (g &+ p)
                        laneSlot[l] = p &* 8 &+ carried &+ r
                        r &+= 1
                        if r == freshPerPatch { r = 0; p &+= 1 }
                    } else {
                        laneRow[l] = laneRow[l &- 1]
                        laneBase[l] = laneBase[l &- 1]
                    }
                }
                sweep(alongRow: true)
                // Row summaries rounded to the summary grid, 16 lanes at a time (the state
                // is not read again: every sweep starts from h = 0).
                for j in 0..<h1 { hA[j] = sSum.roundTrip(hA[j], O.self) }
                for l in 0..<min(16, pairs - first) {
                    let dst = freshF + laneSlot[l] &* h1
                    for j in 0..<h1 { dst[j] = hAf[j &* 16 &+ l] }
                }
                first += 16
            }
            // 2. The column chunks these patches read.
            let lastCol = S * (g + count - 1) + P - 1
            for id in (S * g / 16)...(lastCol / 16) { ensureChunk(id) }
            // 3. Each patch's 16 summaries → W₂ projections; carry rows on.
            for p in 0..<count {
                let px = g + p
                let carryP = carry + px &* carryRows &* h1
                for r in 0..<P {
                    if r < carried {
                        let src = carryP + r &* h1
                        for j in 0..<h1 { sumf[j &* 16 &+ r] = src[j].stored * sSum.scale }
                    } else {
                        let src = freshF + (p &* 8 &+ r) &* h1
                        for j in 0..<h1 { sumf[j &* 16 &+ r] = src[j] }
                    }
                }
                for k in 0..<P {
                    let col = S &* px &+ k
                    let slot: Int = (col / 16) % 3
                    let offset: Int = slot &* h1 &* 16 &+ col % 16
                    let src = chunkf + offset
                    for j in 0..<h1 { sumf[j &* 16 &+ 8 &+ k] = src[j &* 16] }
                }
                rnn2.inputProjection(summary, into: proj + p &* h2)
                // Row r + S of this patch row is row r of the next one.
                for r in 0..<carryRows {
                    let dst = carryP + r &* h1
                    for j in 0..<h1 { dst[j] = O(storing: sumf[j &* 16 &+ r &+ S], inverse: sSum.inverse) }
                }
            }
            for p in count..<4 { (proj + p &* h2).update(repeating: SIMD16(), count: h2) }
            // 4. RNN2: lane 4p+q reads summary s(q, t) of patch p.
            for t in 0..<8 {
                let s0 = t, s1 = 7 - t, s2 = 8 + t, s3 = 15 - t
                #if canImport(CKernels)
                // Lanes 0–7 from patches 0 and 1 (index 16 + s: the second vector), 8–15
                // from patches 2 and 3: two permutes and a blend per unit.
                let pick = SIMD16<Int32>(Int32(s0), Int32(s1), Int32(s2), Int32(s3),
                                         Int32(16 + s0), Int32(16 + s1), Int32(16 + s2), Int32(16 + s3),
                                         Int32(s0), Int32(s1), Int32(s2), Int32(s3),
                                         Int32(16 + s0), Int32(16 + s1), Int32(16 + s2), Int32(16 + s3))
                for j in 0..<h2 {
                    a2[j] = rc_pick_lanes(proj[j], proj[h2 &+ j], proj[2 &* h2 &+ j], proj[3 &* h2 &+ j], pick, pick)
                }
                #else
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
                #endif
                rnn2.step(a2, h: hB, scratch: t2, first: t == 0, clampIdle: idle2, compact: compact)
            }
            for p in 0..<count {
                let o = out + (g + p) &* outC
                for q in 0..<4 {
                    for j in 0..<h2 { o[q &* h2 &+ j] = O(storing: hBf[j &* 16 &+ 4 &* p &+ q], inverse: outInv) }
                }
            }
            g += 4
        }
        // EdgeML's replicate padding of the last column.
        let last = out + (patchesX - 1) * outC
        for px in patchesX..<paddedWidth { (out + px * outC).update(from: last, count: outC) }
    }
}
