#if RNNPOOL_HOST
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

    /// Scratch floats the kernel needs per patch row (arena) when its summaries are
    /// stored as `O` (float32, or int8 on the int8 path): `RNNPoolScratch`'s layout.
    func scratchFloats<O: ActivationElement>(storing _: O.Type) -> Int {
        RNNPoolScratch.floats(channels: channels, h1: rnn1.hidden, h2: rnn2.hidden, chunkSlots: chunkSlots,
                              laneTablesInProjections: laneTablesFitInProjections,
                              summaryBytes: MemoryLayout<O>.stride)
    }

    /// Scratch floats for either path (the float path's, the larger).
    var scratchFloats: Int { scratchFloats(storing: Float.self) }

    /// Column chunks (16 stem columns each) kept at once: the most that the columns of
    /// one group of 4 patches (3S + P of them, starting at a multiple of 4S) span. The
    /// next group starts at or after this group's last chunk, so a slot per chunk of a
    /// group is enough: 2 at stride 4, never more than 3 (P = 8, S ≤ 8).
    var chunkSlots: Int {
        let span = 3 * stride + RNNPoolRowKernel.patch
        var most = 1
        for i in 0..<16 {
            let offset = (4 * stride * i) % 16
            most = max(most, (offset + span - 1) / 16 + 1)
        }
        return most
    }

    /// True when the projections (free during RNN1's sweeps) hold the lane tables (rows,
    /// pixels and fresh-summary slots, 16 Ints each).
    var laneTablesFitInProjections: Bool {
        16 * 4 * rnn2.hidden >= RNNPoolScratch.laneTableFloats
    }

    /// The grids of what this kernel reads and stores: stem rows (`input`), RNN1
    /// summaries (`summaries`: RNN2 reads them rounded to this grid, and the carried
    /// ones are stored on it) and the output. All identity on the float path.
    struct Grids {
        var input: ActivationScale, summaries: ActivationScale, output: ActivationScale
        static let identity = Grids(input: .identity, summaries: .identity, output: .identity)
    }

    /// Whether the gates' clamp is idle for RNN1 and for RNN2 (FastGRNNLanes.clampIsIdle)
    /// on a path: fixed by the weights and grids, so worked out once per network by the
    /// caller of `run` (each patch row doing it was 0.5% of an x86 frame).
    struct IdleClamps { var rnn1: Bool, rnn2: Bool }

    func idleClamps<I: ActivationElement, O: ActivationElement>(input _: I.Type, output _: O.Type,
                                                                grids: Grids) -> IdleClamps {
        // Input bounds for the gates' clamp proof: stem outputs are ReLU6 (|x| ≤ 6; on an
        // int8 grid at most 127 steps), RNN1 summaries are bounded by RNN1's state bound,
        // plus half a step where they are rounded.
        let P = RNNPoolRowKernel.patch
        let stemBound = I.self == Float.self ? 6 : Double(127 * grids.input.scale)
        let summaryBound = rnn1.stateBound(steps: P) + (O.self == Float.self ? 0 : Double(grids.summaries.scale) / 2)
        return IdleClamps(rnn1: rnn1.clampIsIdle(inputBound: stemBound, steps: P),
                          rnn2: rnn2.clampIsIdle(inputBound: summaryBound, steps: P))
    }

    /// `rows[r]` points at stem row (S·py + r), channels-last with `channels` elements
    /// of type `I` per pixel; `stemWidth` is its width. `out` receives
    /// `paddedWidth × 4·h2` elements; `carry` keeps summaries for the next patch row.
    ///
    /// Four patches at a time: (1) their fresh row sequences through RNN1, (2) the column
    /// chunks they read, (3) each patch's 16 summaries through RNN2's input projection,
    /// carrying rows on, (4) RNN2's four sweeps, (5) the outputs stored.
    func run<I: ActivationElement, O: ActivationElement>(
        py: Int, rows rawRows: UnsafePointer<UnsafeRawPointer>, input _: I.Type, stemWidth: Int,
        out: UnsafeMutablePointer<O>, scratch: UnsafeMutablePointer<Float>,
        carry: UnsafeMutablePointer<O>, grids: Grids, idle: IdleClamps? = nil) {
        var pass = PatchRowPass<I, O>(kernel: self, py: py, rows: rawRows, stemWidth: stemWidth,
                                      scratch: scratch, grids: grids,
                                      idle: idle ?? idleClamps(input: I.self, output: O.self, grids: grids))
        var g = 0
        while g < patchesX {
            let count = min(4, patchesX - g)
            pass.freshRowSummaries(firstPatch: g, count: count)
            pass.columnChunks(firstPatch: g, count: count)
            pass.projectSummaries(firstPatch: g, count: count, carry: carry)
            pass.rnn2Sweeps()
            pass.storeOutputs(firstPatch: g, count: count, into: out)
            g += 4
        }
        // EdgeML's replicate padding of the last column.
        let outC = 4 * rnn2.hidden
        let last = out + (patchesX - 1) * outC
        for px in patchesX..<paddedWidth { (out + px * outC).update(from: last, count: outC) }
    }
}

/// The RNNPool kernel's scratch, in SIMD16 vectors in the order it is carved: x (RNN
/// input), one a/h set shared by RNN1 and RNN2 (never running at once: RNN1's results
/// are copied out after each sweep, RNN2's after each group; a step writes its
/// pre-activations over `a`, which it no longer needs), 4 patches' projections; then 16
/// lane addresses (int8 gathers); then the RNN1 summaries kept across phases, as the
/// path stores them (int8 on the int8 path, where they are rounded to the summary grid
/// anyway: a quarter of the bytes): the column chunks and 4 patches × 8 fresh row
/// summaries. Phases share room where their lifetimes allow: one patch's 16 summaries
/// (step 3) use `a`, idle between the RNN1 and RNN2 sweeps; the lane tables (rows,
/// pixels, slots; steps 1–2) use the projections, written only in step 3, or (the
/// tiniest RNN2) get their own room after the addresses. Every byte here is arena: the
/// RNNPool scratch is the largest of the kernels', so it sets the shared one's size.
struct RNNPoolScratch {
    let x: UnsafeMutablePointer<SIMD16<Float>>
    let a: UnsafeMutablePointer<SIMD16<Float>>
    let h: UnsafeMutablePointer<SIMD16<Float>>
    /// [4 patches][h2] vectors over 16 summaries.
    let proj: UnsafeMutablePointer<SIMD16<Float>>
    /// [h1] vectors over the 16 summaries of one patch (in `a`).
    var summary: UnsafeMutablePointer<SIMD16<Float>> { a }
    /// [chunkSlots][h1][16 stem columns] column summaries, stored as the path's element.
    let chunks: UnsafeMutableRawPointer
    /// [4 patches][h1][8 rows] fresh row summaries, stored as the path's element, at the
    /// rows they have in the patch (after the carried ones), unit-major as step 3 reads them.
    let fresh: UnsafeMutableRawPointer
    /// 16 lane input addresses.
    let lanePointers: UnsafeMutablePointer<UnsafeRawPointer>
    /// Per lane: first pixel (`laneBase`), input row (`laneRow`), fresh-summary slot
    /// (where its unit 0 goes in `fresh`; unit j 8·j further).
    let laneBase: UnsafeMutablePointer<Int>
    var laneRow: UnsafeMutablePointer<Int> { laneBase + 16 }
    var laneSlot: UnsafeMutablePointer<Int> { laneBase + 32 }

    /// Floats of the lane tables: rows, pixels and fresh-summary slots, 16 Ints each.
    static let laneTableFloats = 3 * 16 * MemoryLayout<Int>.stride / MemoryLayout<Float>.stride

    static func floats(channels: Int, h1: Int, h2: Int, chunkSlots: Int, laneTablesInProjections: Bool,
                       summaryBytes: Int) -> Int {
        let m = max(h1, h2)
        let kept = (chunkSlots * h1 * 16 + 4 * 8 * h1) * summaryBytes
        return 16 * (channels + 2 * m + 4 * h2) + 16 * 2 + (laneTablesInProjections ? 0 : laneTableFloats)
            + (kept + 3) / 4
    }

    @inline(__always)
    init(_ scratch: UnsafeMutablePointer<Float>, channels c0: Int, h1: Int, h2: Int, chunkSlots: Int,
         laneTablesInProjections: Bool, summaryBytes: Int) {
        let v = UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: SIMD16<Float>.self)
        let m = max(h1, h2)
        x = v
        a = x + c0
        h = a + m
        proj = h + m
        lanePointers = UnsafeMutableRawPointer(proj + 4 &* h2).assumingMemoryBound(to: UnsafeRawPointer.self)
        let afterPointers = UnsafeMutableRawPointer(lanePointers + 16)
        laneBase = (laneTablesInProjections ? UnsafeMutableRawPointer(proj) : afterPointers)
            .assumingMemoryBound(to: Int.self)
        chunks = afterPointers + (laneTablesInProjections ? 0 : 4 * RNNPoolScratch.laneTableFloats)
        fresh = chunks + chunkSlots &* h1 &* 16 &* summaryBytes
    }
}

/// One patch row of `RNNPoolRowKernel.run`: the scratch, the grids and what the gates
/// may skip, with one method per phase.
struct PatchRowPass<I: ActivationElement, O: ActivationElement> {
    let k: RNNPoolRowKernel
    let area: RNNPoolScratch
    let rows: UnsafeMutablePointer<UnsafePointer<I>>
    let stemWidth: Int
    let sIn: Float, sSum: ActivationScale, outInv: Float
    /// Rows 0 ..< carried of each patch come from `carry`.
    let carried: Int
    /// The gates' clamp is idle for RNN1 / RNN2 (FastGRNNLanes.clampIsIdle).
    let idle1: Bool, idle2: Bool
    /// The int8 path's gates use the compact exp and update (its summaries and outputs
    /// are rounded to 8 bits: FastGRNNLanes.compactUpdate); the float path keeps the
    /// precise ones.
    let compact: Bool
    /// Which column chunk each chunk slot holds (-1: none); `chunkSlots` ≤ 3 are used.
    var chunkIDs = SIMD3<Int>(repeating: -1)
    let chunkSlots: Int
    /// The kept RNN1 summaries (`RNNPoolScratch.chunks`, `.fresh`) as the path stores them.
    let chunks: UnsafeMutablePointer<O>
    let fresh: UnsafeMutablePointer<O>

    @inline(__always)
    init(kernel: RNNPoolRowKernel, py: Int, rows rawRows: UnsafePointer<UnsafeRawPointer>, stemWidth: Int,
         scratch: UnsafeMutablePointer<Float>, grids: RNNPoolRowKernel.Grids, idle: RNNPoolRowKernel.IdleClamps) {
        k = kernel
        area = RNNPoolScratch(scratch, channels: kernel.channels, h1: kernel.rnn1.hidden, h2: kernel.rnn2.hidden,
                              chunkSlots: kernel.chunkSlots, laneTablesInProjections: kernel.laneTablesFitInProjections,
                              summaryBytes: MemoryLayout<O>.stride)
        chunks = area.chunks.assumingMemoryBound(to: O.self)
        fresh = area.fresh.assumingMemoryBound(to: O.self)
        chunkSlots = kernel.chunkSlots
        rows = UnsafeMutableRawPointer(mutating: rawRows).assumingMemoryBound(to: UnsafePointer<I>.self)
        self.stemWidth = stemWidth
        sIn = grids.input.scale
        sSum = grids.summaries
        outInv = grids.output.inverse
        carried = py == 0 ? 0 : kernel.carryRows
        idle1 = idle.rnn1
        idle2 = idle.rnn2
        compact = O.self == Int8.self
    }

    private func floats(_ v: UnsafeMutablePointer<SIMD16<Float>>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(v).assumingMemoryBound(to: Float.self)
    }

    // MARK: - RNN1 over 16 lanes

    /// Runs RNN1 over 8 steps for 16 lanes, final states in `area.h`. Row sweeps
    /// (`alongRow`): lane l reads row `laneRow[l]` at pixel `laneBase[l] + t`; column
    /// sweeps: lane l reads stem row t at pixel `laneBase[l]`.
    @inline(__always)
    func sweep(alongRow: Bool) {
        let c0 = k.channels, P = RNNPoolRowKernel.patch
        let x = area.x, a1 = area.a, hA = area.h
        let laneBase = area.laneBase, laneRow = area.laneRow, lanePointers = area.lanePointers
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
                k.rnn1.step(input: x, h: hA, scratch: a1, first: t == 0, clampIdle: idle1, compact: compact)
            }
            return
        }
        let xf = floats(x)
        for t in 0..<P {
            for l in 0..<16 {
                let src = alongRow ? rows[laneRow[l]] + (laneBase[l] &+ t) &* c0
                                   : rows[t] + laneBase[l] &* c0
                for c in 0..<c0 { xf[c &* 16 &+ l] = src[c].stored * sIn }
            }
            k.rnn1.step(input: x, h: hA, scratch: a1, first: t == 0, clampIdle: idle1, compact: compact)
        }
    }

    // MARK: - 1. Fresh row sequences

    /// The fresh row sequences of patches first ..< first+count, 16 (patch, row) pairs
    /// at a time, their summaries rounded to the summary grid into `area.fresh`.
    @inline(__always)
    func freshRowSummaries(firstPatch g: Int, count: Int) {
        let P = RNNPoolRowKernel.patch, S = k.stride, h1 = k.rnn1.hidden
        let laneBase = area.laneBase, laneRow = area.laneRow, laneSlot = area.laneSlot
        let hAf = floats(area.h)
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
                    laneSlot[l] = p &* 8 &* h1 &+ carried &+ r
                    r &+= 1
                    if r == freshPerPatch { r = 0; p &+= 1 }
                } else {
                    laneRow[l] = laneRow[l &- 1]
                    laneBase[l] = laneBase[l &- 1]
                }
            }
            sweep(alongRow: true)
            // Row summaries stored on the summary grid (NETWORK.md §7).
            for l in 0..<min(16, pairs - first) {
                let dst = fresh + laneSlot[l]
                for j in 0..<h1 { dst[j &* 8] = O(storing: hAf[j &* 16 &+ l], inverse: sSum.inverse) }
            }
            first += 16
        }
    }

    // MARK: - 2. Column chunks

    /// The column chunks (16 stem columns each) patches first ..< first+count read.
    @inline(__always)
    mutating func columnChunks(firstPatch g: Int, count: Int) {
        let S = k.stride
        let lastCol = S * (g + count - 1) + RNNPoolRowKernel.patch - 1
        for id in (S * g / 16)...(lastCol / 16) { ensureChunk(id) }
    }

    /// Makes sure column chunk `id` (stem columns 16·id ..< 16·id + 16) is computed.
    @inline(__always)
    private mutating func ensureChunk(_ id: Int) {
        let slot = id % chunkSlots, h1 = k.rnn1.hidden
        if chunkIDs[slot] == id { return }
        for l in 0..<16 { area.laneBase[l] = min(16 &* id &+ l, stemWidth - 1) }  // lanes past the edge are unused
        sweep(alongRow: false)
        // Column summaries are stored on the summary grid once, here (NETWORK.md §7).
        let hf = floats(area.h), dst = chunks + slot &* h1 &* 16
        for i in 0..<(h1 &* 16) { dst[i] = O(storing: hf[i], inverse: sSum.inverse) }
        chunkIDs[slot] = id
    }

    // MARK: - 3. Summaries → RNN2's input projections

    /// Each patch's 16 summaries (carried or fresh rows, then columns) → W₂ projections
    /// in `area.proj`; rows S ..< P move on to `carry` (row r + S of this patch row is
    /// row r of the next one). Patches past `count` project to zero.
    ///
    /// The summaries are kept unit-major ([h1][8] rows per patch in `fresh`, [h1][rows]
    /// in `carry`, [h1][16 columns] in a chunk), as the projection reads them: a unit's
    /// 8 rows, or 8 columns within one chunk, are one vector each way (one at a time,
    /// converted, they were 7% of an x86 frame: issue 22).
    @inline(__always)
    func projectSummaries(firstPatch g: Int, count: Int, carry: UnsafeMutablePointer<O>) {
        let P = RNNPoolRowKernel.patch, S = k.stride, h1 = k.rnn1.hidden, h2 = k.rnn2.hidden, cr = k.carryRows
        let sumf = floats(area.summary), scale = sSum.scale, lut = int8Values.p
        for p in 0..<count {
            let px = g + p
            let carryP = carry + px &* cr &* h1, rowsP = fresh + p &* 8 &* h1
            for j in 0..<h1 {
                let rowsJ = UnsafePointer(rowsP + j &* 8), carryJ = UnsafePointer(carryP + j &* cr)
                if carried == 0 {
                    store8(O.stored8(rowsJ) * scale, sumf + j &* 16)
                } else if carried == 4 {
                    // Two 4-element loads: the carried rows are read where they are (bytes
                    // copied next to the fresh ones and read back as one word stalled the
                    // load on its store, a quarter of this function's time).
                    store8(O.stored8(low: carryJ, high: rowsJ + 4) * scale, sumf + j &* 16)
                } else {
                    for r in 0..<8 {
                        sumf[j &* 16 &+ r] = O.stored(r < carried ? carryJ : rowsJ, r, table: lut) * scale
                    }
                }
            }
            let col = S &* px, offset = col % 16
            let slot = (col / 16) % chunkSlots
            if offset + P <= 16 {
                let src = UnsafePointer(chunks + (slot &* h1 &* 16 &+ offset))
                for j in 0..<h1 { store8(O.stored8(src + j &* 16) * scale, sumf + (j &* 16 &+ 8)) }
            } else {
                for c in 0..<P {
                    let cc = col &+ c
                    let src = UnsafePointer(chunks + (((cc / 16) % chunkSlots) &* h1 &* 16 &+ cc % 16))
                    for j in 0..<h1 { sumf[j &* 16 &+ 8 &+ c] = O.stored(src, j &* 16, table: lut) * scale }
                }
            }
            k.rnn2.inputProjection(area.summary, into: area.proj + p &* h2)
            #if RNNPOOL_FIRMWARE
            // Lane by lane on the Cortex-M4: a vector store would round lanes it does not keep.
            for j in 0..<h1 where cr > 0 {
                for r in 0..<cr { carryP[j &* cr &+ r] = O(storing: sumf[j &* 16 &+ S &+ r], inverse: sSum.inverse) }
            }
            #else
            if cr == 4 && h1 % 4 == 0 {
                // Four units' four carried rows are 16 consecutive elements of `carry`: one
                // vector rounded and stored (4 lanes of a SIMD8 at a time, the compiler
                // rounded them one by one: a fifth of this function).
                @inline(__always) func rows(_ j: Int) -> SIMD4<Float> {
                    UnsafeRawPointer(sumf + (j &* 16 &+ S)).loadUnaligned(as: SIMD4<Float>.self)
                }
                for j in stride(from: 0, to: h1, by: 4) {
                    let v = SIMD16(lowHalf: SIMD8(lowHalf: rows(j), highHalf: rows(j &+ 1)),
                                   highHalf: SIMD8(lowHalf: rows(j &+ 2), highHalf: rows(j &+ 3)))
                    O.store16(v, inverse: sSum.inverse, to: carryP + j &* cr)
                }
            } else {
                for j in 0..<h1 where cr > 0 {
                    O.store(load8(sumf + (j &* 16 &+ S)), count: cr, inverse: sSum.inverse, to: carryP + j &* cr)
                }
            }
            #endif
        }
        for p in count..<4 { (area.proj + p &* h2).update(repeating: SIMD16(), count: h2) }
    }

    // MARK: - 4. RNN2

    /// RNN2's four sweeps of four patches at once: lane `rnn2Lane(p, q)` runs sweep q of
    /// patch p (row forward, row backward, column forward, column backward), reading
    /// summary t, 7 − t, 8 + t, 15 − t at step t. Lanes 0–7 sweep forward, 8–15 backward.
    @inline(__always)
    func rnn2Sweeps() {
        let h2 = k.rnn2.hidden, proj = area.proj, a2 = area.a
        let projf = floats(proj)
        #if RNNPOOL_HOST
        // Each unit's four patch vectors as eight rows (row 2p + h: summaries 8h ..< 8h + 8
        // of patch p) transposed once: row t is then summary t of every row, that is the
        // forward lanes of step t, and row 7 − t its backward lanes (picking the lanes at
        // every step took 8 permutes and 6 blends a unit on AVX2: 3% of a frame).
        for j in 0..<h2 { rc_transpose8_pairs(projf + j &* 16, h2 &* 16) }
        #endif
        for t in 0..<8 {
            #if RNNPOOL_HOST
            let back = 7 &- t
            let forward = projf + ((t / 2) &* h2 &* 16 &+ (t % 2) &* 8)
            let backward = projf + ((back / 2) &* h2 &* 16 &+ (back % 2) &* 8)
            for j in 0..<h2 {
                a2[j] = SIMD16(lowHalf: load8(forward + j &* 16), highHalf: load8(backward + j &* 16))
            }
            #else
            let a2f = floats(a2)
            let s = SIMD4<Int>(t, 7 &- t, 8 &+ t, 15 &- t)
            for j in 0..<h2 {
                let dst = a2f + j &* 16
                for p in 0..<4 {
                    let src = projf + (p &* h2 &+ j) &* 16
                    for q in 0..<4 { dst[rnn2Lane(p, q)] = src[s[q]] }
                }
            }
            #endif
            k.rnn2.step(a2, h: area.h, scratch: a2, first: t == 0, clampIdle: idle2, compact: compact)
        }
    }

    /// The lane of patch p's sweep q (0 row forward, 1 row backward, 2 column forward,
    /// 3 column backward): forward sweeps in lanes 0–7, backward in 8–15, row and column
    /// side by side (the order the host's transpose leaves them in).
    @inline(__always)
    func rnn2Lane(_ p: Int, _ q: Int) -> Int { (q & 1) &* 8 &+ 2 &* p &+ (q >> 1) }

    // MARK: - 5. Store

    /// Each patch's four final RNN2 states, stored on the output grid.
    @inline(__always)
    func storeOutputs(firstPatch g: Int, count: Int, into out: UnsafeMutablePointer<O>) {
        let h2 = k.rnn2.hidden, outC = 4 * h2, hBf = floats(area.h)
        for p in 0..<count {
            let o = out + (g + p) &* outC
            for q in 0..<4 {
                let lane = rnn2Lane(p, q)
                for j in 0..<h2 { o[q &* h2 &+ j] = O(storing: hBf[j &* 16 &+ lane], inverse: outInv) }
            }
        }
    }
}
