import XCTest
@testable import RNNPoolEngine

/// `--input-size`: the same weights on a larger input, its memory and its coarse pass.
final class InputSizeTests: XCTestCase {
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../assets/models/rnnpool-face.rpm").standardizedFileURL.path

    func testArchitectureAt640x480PadsLikeTheModelAndDoublesEveryMap() throws {
        let native = try RNNPoolModel.load(path: InputSizeTests.shipped).architecture
        let a = try native.running(width: 640, height: 480)
        XCTAssertEqual(a.rnnpool.padTo, [80, 60], "one patch of padding, as at 320x240 (39 -> 40)")
        XCTAssertEqual(native.rnnpool.padTo, [40, 30])
        for (s, n) in zip(a.blockShapes, native.blockShapes) {
            XCTAssertEqual(s.wout, 2 * n.wout)
            XCTAssertTrue(s.hout == 2 * n.hout || s.hout == 2 * n.hout - 1, "15 rows at 640x480 where 8 (of 7.5) at 320x240")
            XCTAssertEqual(s.cout, n.cout)
        }
        XCTAssertEqual(try native.running(width: 320, height: 240), native)
    }

    func testSizesTheEngineCannotRunAreOneLineErrors() throws {
        let native = try RNNPoolModel.load(path: InputSizeTests.shipped).architecture
        for (w, h) in [(641, 480), (640, 484 + 2), (32, 32), (4096, 480)] {
            XCTAssertThrowsError(try native.running(width: w, height: h)) { e in
                let text = "\(e)"
                XCTAssertTrue(text.contains("\(w)x\(h)"), text)
                XCTAssertFalse(text.contains("\n"), text)
            }
        }
    }

    /// A 640×480 picture: the demo frame enlarged 2× (each pixel four times).
    func bigFrame() throws -> (pixels: [UInt8], small: [UInt8]) {
        let y4m = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../assets/demo.y4m").standardizedFileURL.path
        let data = try Data(contentsOf: URL(fileURLWithPath: y4m))
        // First FRAME's luma: after the stream header line and the "FRAME\n" line.
        let header = data.firstIndex(of: 0x0A)!
        let start = data.index(after: data[data.index(after: header)...].firstIndex(of: 0x0A)!)
        let small = [UInt8](data[start..<(start + 320 * 240)])
        var big = [UInt8](repeating: 0, count: 640 * 480)
        for y in 0..<480 { for x in 0..<640 { big[y * 640 + x] = small[(y / 2) * 320 + x / 2] } }
        return (big, small)
    }

    func testAt640x480TheDetectorFitsIn96KiBAndFindsTheSameFaceAsAt320() throws {
        let model = try RNNPoolModel.load(path: InputSizeTests.shipped)
        let (big, small) = try bigFrame()
        let native = try RNNPoolDetector(model: model, ramCapBytes: 256 * 1024)
        let ref = try small.withUnsafeBufferPointer { try native.detect(luma: $0, width: 320, height: 240, threshold: 0.5) }
        let face = try XCTUnwrap(ref.faces.first, "the demo frame has a face")
        let large = try RNNPoolDetector(model: model, ramCapBytes: 96 * 1024, inputSize: (640, 480))
        XCTAssertEqual(large.inputSize.width, 640)
        let r = try big.withUnsafeBufferPointer { try large.detect(luma: $0, width: 640, height: 480, threshold: 0.5) }
        XCTAssertLessThanOrEqual(r.memory.framePeakBytes, 96 * 1024)
        XCTAssertEqual(r.memory.layers.first { $0.name == "input" }?.ownBytes, 3 * 640, "three input rows of 640")
        XCTAssertGreaterThan(large.maddsPerFrame, 4 * native.maddsPerFrame, "4x the pixels, plus the coarse pass")
        let found = try XCTUnwrap(r.faces.first, "the face, 2x larger, is found")
        let iou = FaceTracker.iou(FaceBox(x: face.x * 2, y: face.y * 2, w: face.w * 2, h: face.h * 2, score: 1), found)
        XCTAssertGreaterThan(iou, 0.6, "\(found) against 2x \(face)")
    }

    /// The multiply-adds of the layers that ran: the first pass's dropped heads (and the
    /// blocks only they read) and the coarse pass's count nothing, and which those are
    /// follows the source's size (NETWORK.md §6b).
    func testTheLastFrameCostCountsOnlyTheLayersThatRan() throws {
        let model = try RNNPoolModel.load(path: InputSizeTests.shipped)
        let (big, small) = try bigFrame()
        let large = try RNNPoolDetector(model: model, ramCapBytes: 1 << 20, inputSize: (640, 480))
        XCTAssertEqual(large.lastFrameCost.total, large.maddsPerFrame, "before a frame, the whole definition")
        let fine = NetworkCost(large.runningArchitecture), coarse = NetworkCost(model.architecture)
        func madds(_ c: NetworkCost, _ name: String) -> Int { c.layers.first { $0.name == name }!.madds }

        _ = try big.withUnsafeBufferPointer { try large.detect(luma: $0, width: 640, height: 480, threshold: 0.5) }
        var ran = large.lastFrameCost
        XCTAssertEqual(madds(ran, "rnnpool"), madds(fine, "rnnpool") + madds(coarse, "rnnpool"))
        XCTAssertEqual(madds(ran, "heads.0"), madds(fine, "heads.0"), "the coarse pass passes over heads 0-2")
        XCTAssertEqual(madds(ran, "heads.3"), madds(fine, "heads.3") + madds(coarse, "heads.3"))
        XCTAssertEqual(madds(ran, "heads.4"), madds(coarse, "heads.4"), "the first pass passes over head 4")
        XCTAssertEqual(madds(ran, "blocks.4"), madds(coarse, "blocks.4"), "and block 4, which only head 4 reads")
        XCTAssertEqual(large.lastFramePasses.first { $0.name == "heads.4" }?.passes, ["320x240"])

        // From a 320×240 source the first pass finds its boxes at scale 1: heads 3-4 are the coarse pass's.
        _ = try small.withUnsafeBufferPointer { try large.detect(luma: $0, width: 320, height: 240, threshold: 0.5) }
        ran = large.lastFrameCost
        XCTAssertEqual(madds(ran, "blocks.3"), madds(coarse, "blocks.3"))
        XCTAssertEqual(madds(ran, "heads.3"), madds(coarse, "heads.3"))
        XCTAssertEqual(ran.total, large.maddsPerFrame - madds(fine, "blocks.3") - madds(fine, "blocks.4")
                       - madds(fine, "heads.3") - madds(fine, "heads.4") - madds(coarse, "heads.0")
                       - madds(coarse, "heads.1") - madds(coarse, "heads.2"))
    }

    func testAFaceLargerThanEveryAnchorIsFoundByTheCoarsePass() throws {
        let model = try RNNPoolModel.load(path: InputSizeTests.shipped)
        let (_, small) = try bigFrame()
        // The 160×120 window around the demo face, enlarged 4× to 640×480: the face is
        // about 260 px wide, beyond the 192 px anchor (head 4's largest) at this input.
        var huge = [UInt8](repeating: 0, count: 640 * 480)
        for y in 0..<480 { for x in 0..<640 { huge[y * 640 + x] = small[(10 + y / 4) * 320 + 50 + x / 4] } }
        let large = try RNNPoolDetector(model: model, ramCapBytes: 1 << 20, inputSize: (640, 480))
        let with = try huge.withUnsafeBufferPointer { try large.detect(luma: $0, width: 640, height: 480, threshold: 0.5) }
        let without = try huge.withUnsafeBufferPointer {
            try large.network.detectFaces(luma: $0.baseAddress!, width: 640, height: 480, threshold: 0.5, coarse: nil)
        }
        XCTAssertTrue(without.isEmpty, "the 640x480 pass alone misses it: \(without)")
        let found = try XCTUnwrap(with.faces.first, "the 320x240 pass finds it")
        let native = try RNNPoolDetector(model: model, ramCapBytes: 256 * 1024)
        let face = try XCTUnwrap(try small.withUnsafeBufferPointer {
            try native.detect(luma: $0, width: 320, height: 240, threshold: 0.5)
        }.faces.first)
        let expected = FaceBox(x: (face.x - 50) * 4, y: (face.y - 10) * 4, w: face.w * 4, h: face.h * 4, score: 1)
        XCTAssertGreaterThan(FaceTracker.iou(expected, found), 0.7, "\(found) against \(expected)")
    }

    /// The heads each pass runs, and so adds candidates from, at 640×480 from a 640×480
    /// source: (fine, coarse) head indices, as `CoarseCandidates` marks them.
    func contributingHeads(_ modelPath: String) throws -> (fine: [Int], coarse: [Int]) {
        let d = try RNNPoolDetector(model: try RNNPoolModel.load(path: modelPath), ramCapBytes: 1 << 20,
                                    inputSize: (640, 480))
        let coarse = try XCTUnwrap(d.coarse)
        let map = CoarseCandidates(from: Letterbox(sourceWidth: 640, sourceHeight: 480, width: 320, height: 240),
                                   to: Letterbox(sourceWidth: 640, sourceHeight: 480, width: 640, height: 480, upscale: false),
                                   coarse: coarse, fine: d.network)
        XCTAssertEqual(map.fineHeads.count, d.network.heads.count)
        XCTAssertEqual(map.coarseHeads.count, coarse.heads.count)
        return (map.fineHeads.indices.filter { map.fineHeads[$0] }, map.coarseHeads.indices.filter { map.coarseHeads[$0] })
    }

    /// A head a frame marks inactive adds no candidates and leaves every other head's as
    /// they were: its rows are passed over, not computed (the fine pass's head 4 at
    /// 640×480 with the shipped split), and so are the blocks only inactive heads read.
    func testAnInactiveHeadAddsNothingAndChangesNoOtherHead() throws {
        let d = try RNNPoolDetector(model: try RNNPoolModel.load(path: InputSizeTests.shipped), ramCapBytes: 1 << 20,
                                    inputSize: (640, 480))
        let (big, _) = try bigFrame()
        let net = d.network
        let letterbox = Letterbox(sourceWidth: 640, sourceHeight: 480, width: 640, height: 480, upscale: false)
        var peak = 0
        func candidates(_ active: [Bool]?) throws -> [[Float]] {
            var found: [[Float]] = []
            net.arena.beginFrame()
            defer { peak = net.arena.framePeakBytes }
            try big.withUnsafeBufferPointer { px in
                try net.run(threshold: 0.01, holdFrame: false, activeHeads: active, inputRow: { y, row in
                    letterbox.fillRow(y, source: px.baseAddress!, into: row)
                }, candidate: { found.append([Float($0.index), $0.score, $0.x, $0.y, $0.w, $0.h]) })
            }
            return found
        }
        let all = try candidates(nil)
        let allPeak = peak
        let head4 = Float(net.heads[4].firstAnchor), head3 = Float(net.heads[3].firstAnchor)
        XCTAssertFalse(all.filter { $0[0] >= head4 }.isEmpty, "head 4 adds candidates when it runs")
        XCTAssertEqual(try candidates([true, true, true, true, false]), all.filter { $0[0] < head4 })
        // Heads 3 and 4 read blocks 3 and 4 alone: those blocks do not run either, and
        // their line buffers are never allocated.
        XCTAssertEqual(try candidates([true, true, true, false, false]), all.filter { $0[0] < head3 })
        let ring = { (b: Int) in 3 * net.blocks[b].kernel.shape.wout * net.blocks[b].kernel.outStride }
        XCTAssertEqual(peak, allPeak - ring(3) - ring(4))
        XCTAssertEqual(try candidates([Bool](repeating: false, count: 5)), [])
        XCTAssertEqual(try candidates(nil), all, "a later frame runs every head again")
        XCTAssertEqual(peak, allPeak)
    }

    func testEachPassAddsTheHeadsOnItsSideOfTheShippedSplit() throws {
        XCTAssertEqual(try RNNPoolModel.load(path: InputSizeTests.shipped).architecture.postprocess.coarseSplit, 80)
        // Largest anchors at the model's scale: the 640×480 pass's heads 12…192 px / 2
        // (head 3: 48, head 4: 96), the coarse pass's as they are (head 2: 48, head 3: 96).
        let heads = try contributingHeads(InputSizeTests.shipped)
        XCTAssertEqual(heads.fine, [0, 1, 2, 3], "head 4 would meet big faces twice as large as trained")
        XCTAssertEqual(heads.coarse, [3, 4], "the faces from 68 px at 320x240 come from the coarse pass")
    }

    func testAFileWithoutASplitKeepsEveryFineHeadAndTheCoarseHeadsBeyondThem() throws {
        XCTAssertNil(try RNNPoolModel.load(path: Fixtures.path("random-model")).architecture.postprocess.coarseSplit)
        let heads = try contributingHeads(Fixtures.path("random-model"))
        XCTAssertEqual(heads.fine, [0, 1, 2, 3, 4])
        XCTAssertEqual(heads.coarse, [4], "136 px x 2 is beyond the 640x480 pass's largest, 192 px")
    }

    func testStreamedAndHeldAgreeAt640x480() throws {
        let model = try RNNPoolModel.load(path: InputSizeTests.shipped)
        let (big, _) = try bigFrame()
        let a = try RNNPoolDetector(model: model, ramCapBytes: 1 << 20, inputSize: (640, 480))
        let b = try RNNPoolDetector(model: model, ramCapBytes: 1 << 20, holdFrame: true, inputSize: (640, 480))
        let ra = try big.withUnsafeBufferPointer { try a.detect(luma: $0, width: 640, height: 480, threshold: 0.05) }
        let rb = try big.withUnsafeBufferPointer { try b.detect(luma: $0, width: 640, height: 480, threshold: 0.05) }
        XCTAssertEqual(ra.faces, rb.faces)
        XCTAssertGreaterThan(rb.memory.framePeakBytes, ra.memory.framePeakBytes + 640 * 480 / 2)
    }
}
