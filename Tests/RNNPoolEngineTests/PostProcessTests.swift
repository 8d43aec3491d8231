import XCTest
@testable import RNNPoolEngine

final class PostProcessTests: XCTestCase {
    func c(_ score: Float, _ index: Int32, _ x: Float, _ y: Float, _ w: Float, _ h: Float) -> Candidate {
        Candidate(score: score, index: index, x: x, y: y, w: w, h: h)
    }

    /// The heads skip the sigmoid of logits below `logitCut`: no skipped logit may score at
    /// or above the threshold (else a face would vanish), and the cut sits just below the
    /// threshold's logit (else it would skip nothing).
    func testLogitCutSkipsOnlyAnchorsBelowTheThreshold() {
        for t: Float in [0.01, 0.05, 0.3, 0.5, 0.53, 0.9, 0.999] {
            let cut = HeadStage.logitCut(below: t)
            let logit = Float(log(Double(t) / (1 - Double(t))))
            XCTAssertEqual(cut, logit - 0.01, accuracy: 0.005, "threshold \(t)")
            var d = cut
            for _ in 0..<20_000 {
                XCTAssertLessThan(Activations.sigmoid(d), t, "logit \(d) skipped at threshold \(t)")
                d = d.nextDown
            }
            for step in 1...2000 {
                let far = cut - Float(step) * 0.05
                XCTAssertLessThan(Activations.sigmoid(far), t, "logit \(far) skipped at threshold \(t)")
            }
        }
        XCTAssertEqual(HeadStage.logitCut(below: 0), -.infinity, "threshold 0 keeps every anchor")
        XCTAssertEqual(HeadStage.logitCut(below: 1.5), .infinity)
    }

    func testIoUUsesContinuousAreas() {
        // Two 10×10 boxes overlapping in a 5×10 strip: 50 / (100 + 100 − 50) = 1/3.
        XCTAssertEqual(NonMaximumSuppression.iou(c(1, 0, 0, 0, 10, 10), c(1, 1, 5, 0, 10, 10)), 1.0 / 3.0, accuracy: 1e-6)
        XCTAssertEqual(NonMaximumSuppression.iou(c(1, 0, 0, 0, 10, 10), c(1, 1, 10, 0, 10, 10)), 0)
    }

    func testGreedyNMSDropsOverlapsAboveThresholdOnly() {
        let sorted = [c(0.9, 5, 0, 0, 10, 10), c(0.8, 2, 1, 0, 10, 10),   // IoU 0.818 → dropped
                      c(0.7, 9, 5, 0, 10, 10),                             // IoU 1/3 > 0.3 → dropped
                      c(0.6, 1, 20, 0, 10, 10), c(0.5, 3, 40, 40, 4, 4)]
        let kept = NonMaximumSuppression.run(sorted, iou: 0.3, maxDetections: 100)
        XCTAssertEqual(kept.map(\.index), [5, 1, 3])
        XCTAssertEqual(NonMaximumSuppression.run(sorted, iou: 0.3, maxDetections: 2).map(\.index), [5, 1])
        // At a threshold of 0.34 the 1/3-overlap box survives.
        XCTAssertEqual(NonMaximumSuppression.run(sorted, iou: 0.34, maxDetections: 100).map(\.index), [5, 9, 1, 3])
    }

    func testNestedBoxIsDroppedOnlyWhenTheModelAsksForIt() {
        // A 10×10 face box inside a 24×24 face-and-collar box: IoU 100/576 = 0.17 passes the
        // 0.3 IoU test, but the overlap covers all of the smaller box.
        let sorted = [c(0.9, 1, 0, 0, 24, 24), c(0.8, 2, 7, 5, 10, 10), c(0.7, 3, 20, 20, 10, 10)]
        XCTAssertEqual(NonMaximumSuppression.overlapOfSmaller(sorted[0], sorted[1]), 1, accuracy: 1e-6)
        XCTAssertEqual(NonMaximumSuppression.run(sorted, iou: 0.3, maxDetections: 100).map(\.index), [1, 2, 3])
        // The third box covers 4×4 of its 100 px²: 0.16 of the smaller box, so it stays.
        XCTAssertEqual(NonMaximumSuppression.run(sorted, iou: 0.3, nested: 0.7, maxDetections: 100).map(\.index),
                       [1, 3])
    }

    func testBoxVotingAveragesTheKeptBoxsNeighboursByScore() {
        // Kept (0.9) at x 0…10; a neighbour (0.6) at x 2…12 has IoU 8/12 ≥ 0.5 and votes;
        // one (0.3) at x 4…14 has IoU 6/14: NMS drops it, but it does not vote; a separate
        // face keeps its box.
        let sorted = [c(0.9, 1, 0, 0, 10, 10), c(0.6, 2, 2, 0, 10, 10), c(0.3, 3, 4, 0, 10, 10),
                      c(0.5, 4, 40, 40, 8, 8)]
        let kept = NonMaximumSuppression.run(sorted, iou: 0.3, maxDetections: 100)
        XCTAssertEqual(kept.map(\.index), [1, 4])
        let voted = NonMaximumSuppression.vote(kept, among: sorted, iou: 0.5)
        XCTAssertEqual(voted.map(\.index), [1, 4], "order and identity stay")
        XCTAssertEqual(voted.map(\.score), [0.9, 0.5], "scores stay")
        // x1 = (0.9·0 + 0.6·2) / 1.5 = 0.8, x2 = (0.9·10 + 0.6·12) / 1.5 = 10.8.
        XCTAssertEqual(voted[0].x, 0.8, accuracy: 1e-6)
        XCTAssertEqual(voted[0].w, 10, accuracy: 1e-6)
        XCTAssertEqual(voted[0].y, 0, accuracy: 1e-6)
        XCTAssertEqual(voted[0].h, 10, accuracy: 1e-6)
        XCTAssertEqual([voted[1].x, voted[1].y, voted[1].w, voted[1].h], [40, 40, 8, 8])
        // A stricter vote leaves the first box alone too.
        XCTAssertEqual(NonMaximumSuppression.vote(kept, among: sorted, iou: 0.7)[0].x, 0)
    }

    func testCandidateListKeepsTopKWithIndexTieBreak() {
        let storage = UnsafeMutablePointer<Candidate>.allocate(capacity: 3)
        defer { storage.deallocate() }
        var list = CandidateList(storage: storage, capacity: 3)
        for (s, i) in [(0.6, 0), (0.9, 1), (0.7, 2), (0.9, 3), (0.55, 4), (0.9, 0)] as [(Float, Int32)] {
            list.insert(c(s, i, 0, 0, 1, 1))
        }
        XCTAssertEqual(list.sorted().map(\.index), [0, 1, 3], "three 0.9s, lower index first")
    }

    func testLetterboxGeometryAndBoxMapping() {
        // 640×360 (16:9) into 320×240: scale 0.5, 320×180 window at y offset 30.
        let lb = Letterbox(sourceWidth: 640, sourceHeight: 360, width: 320, height: 240)
        XCTAssertEqual([lb.dw, lb.dh, lb.ox, lb.oy], [320, 180, 0, 30])
        let b = lb.toSource(x: 10, y: 20, w: 100, h: 50)    // top edge clipped at y = 30 first
        XCTAssertEqual(b.x, 20); XCTAssertEqual(b.y, 0); XCTAssertEqual(b.w, 200); XCTAssertEqual(b.h, 80)
        // 3×2: s = min(320/3, 120) = 106.67 → dw = 320, dh = round(213.3) = 213, oy = 13.
        let small = Letterbox(sourceWidth: 3, sourceHeight: 2, width: 320, height: 240)
        XCTAssertEqual([small.dw, small.dh, small.ox, small.oy], [320, 213, 0, 13])
    }

    func testRoundedMeanIsExactIntegerDivision() {
        for n in 1...40 {
            for sum in stride(from: 0, through: 255 * n, by: max(1, n / 3)) {
                XCTAssertEqual(Letterbox.roundedMean(sum, n), (sum + n / 2) / n, "sum \(sum) n \(n)")
            }
        }
    }

    func testIntegerRatioFastPathMatchesGeneralBins() {
        // 960×720 is exactly 3:1 (fast path); the general path is the contract's
        // formula, computed here directly.
        var rnd = SystemRandomNumberGenerator()
        let (w0, h0) = (960, 720)
        let src = (0..<(w0 * h0)).map { _ in UInt8.random(in: 0...255, using: &rnd) }
        var dst = [UInt8](repeating: 0, count: 320 * 240)
        let lb = Letterbox(sourceWidth: w0, sourceHeight: h0, width: 320, height: 240)
        lb.apply(source: src, into: &dst)
        for (y, x) in [(0, 0), (57, 211), (239, 319), (100, 3)] {
            let y0 = y * h0 / 240, y1 = max((y + 1) * h0 / 240, y0 + 1)
            let x0 = x * w0 / 320, x1 = max((x + 1) * w0 / 320, x0 + 1)
            var sum = 0
            for sy in y0..<y1 { for sx in x0..<x1 { sum += Int(src[sy * w0 + sx]) } }
            let n = (y1 - y0) * (x1 - x0)
            XCTAssertEqual(Int(dst[y * 320 + x]), (sum + n / 2) / n, "pixel (\(x), \(y))")
        }
    }

    func testEnlargedSourceIsInterpolatedNotBlocky() {
        // 150×100 → 320×213: a dark-to-bright edge becomes a short blend, as in the
        // photos training enlarged, where one-pixel bins gave a hard step (two levels).
        let (w0, h0) = (150, 100)
        let edge = (0..<(w0 * h0)).map { $0 % w0 < 75 ? UInt8(0) : 200 }
        var dst = [UInt8](repeating: 0, count: 320 * 240)
        let lb = Letterbox(sourceWidth: w0, sourceHeight: h0, width: 320, height: 240)
        lb.apply(source: edge, into: &dst)
        let row = Array(dst[(lb.oy + 100) * 320 ..< (lb.oy + 100) * 320 + 320])
        XCTAssertTrue(zip(row, row.dropFirst()).allSatisfy { $0 <= $1 }, "monotone")
        XCTAssertEqual(row.first, 0); XCTAssertEqual(row.last, 200)
        let blend = row.filter { $0 > 0 && $0 < 200 }
        XCTAssertEqual(blend.count, 2, "two blended columns across the edge: \(blend)")
    }

    func testEnlargedPixelsFollowTheContract() {
        // NETWORK.md §1's bilinear taps written out literally, on random sources whose
        // windows enlarge on both axes, on one only (by rounding) and from one pixel.
        func tap(_ i: Int, _ n0: Int, _ d: Int) -> (Int, Int) {
            let num = (2 * i + 1) * n0 - d
            if num <= 0 { return (0, 0) }
            let q = num / (2 * d), r = num % (2 * d)
            if q >= n0 - 1 { return (n0 - 1, 0) }
            return (q, (r * (((1 << 24) + d) / (2 * d)) + 0x8000) >> 16)
        }
        var rnd = SystemRandomNumberGenerator()
        for (w0, h0, w, h) in [(150, 100, 320, 240), (37, 211, 320, 240), (1, 1, 320, 240),
                               (319, 239, 320, 240), (300, 240, 640, 480), (318, 10, 320, 240)] {
            let src = (0..<(w0 * h0)).map { _ in UInt8.random(in: 0...255, using: &rnd) }
            var dst = [UInt8](repeating: 0, count: w * h)
            let lb = Letterbox(sourceWidth: w0, sourceHeight: h0, width: w, height: h)
            XCTAssertTrue(lb.dw > w0 || lb.dh > h0, "\(w0)×\(h0) enlarges")
            lb.apply(source: src, into: &dst)
            func p(_ j: Int, _ i: Int) -> Int { Int(src[min(j, h0 - 1) * w0 + min(i, w0 - 1)]) }
            for y in 0..<lb.dh {
                let (j, fy) = tap(y, h0, lb.dh)
                for x in 0..<lb.dw {
                    let (i, fx) = tap(x, w0, lb.dw)
                    let top = (256 - fx) * p(j, i) + fx * p(j, i + 1)
                    let bottom = (256 - fx) * p(j + 1, i) + fx * p(j + 1, i + 1)
                    let want = ((256 - fy) * top + fy * bottom + 0x8000) >> 16
                    if Int(dst[(lb.oy + y) * w + lb.ox + x]) != want {
                        return XCTFail("\(w0)×\(h0) → \(w)×\(h): pixel (\(x), \(y)) \(dst[(lb.oy + y) * w + lb.ox + x]) != \(want)")
                    }
                }
            }
        }
    }

    func testLetterboxAveragesWithRounding() {
        // 640×480 → 320×240: each output pixel is the rounded mean of a 2×2 block.
        var src = [UInt8](repeating: 0, count: 640 * 480)
        src[0] = 1; src[1] = 2; src[640] = 2; src[641] = 2       // (7 + 2) / 4 = 2
        src[2] = 255; src[3] = 254; src[642] = 0; src[643] = 0   // (509 + 2) / 4 = 127
        var dst = [UInt8](repeating: 9, count: 320 * 240)
        Letterbox(sourceWidth: 640, sourceHeight: 480, width: 320, height: 240).apply(source: src, into: &dst)
        XCTAssertEqual(dst[0], 2)
        XCTAssertEqual(dst[1], 127)
        XCTAssertEqual(dst[2], 0)
        // The k:1 fast path gives the contract's rounded 2×2 means on random data.
        var rnd = SystemRandomNumberGenerator()
        let noise = (0..<(640 * 480)).map { _ in UInt8.random(in: 0...255, using: &rnd) }
        var fast = [UInt8](repeating: 0, count: 320 * 240)
        Letterbox(sourceWidth: 640, sourceHeight: 480, width: 320, height: 240).apply(source: noise, into: &fast)
        for (y, x) in [(0, 0), (10, 17), (239, 319), (120, 5)] {
            let s = Int(noise[2 * y * 640 + 2 * x]) + Int(noise[2 * y * 640 + 2 * x + 1])
                + Int(noise[(2 * y + 1) * 640 + 2 * x]) + Int(noise[(2 * y + 1) * 640 + 2 * x + 1])
            XCTAssertEqual(Int(fast[y * 320 + x]), (s + 2) / 4)
        }
        // A tall source leaves black bars left and right.
        var tall = [UInt8](repeating: 200, count: 100 * 200)
        Letterbox(sourceWidth: 100, sourceHeight: 200, width: 320, height: 240).apply(source: &tall, into: &dst)
        XCTAssertEqual(dst[0], 0)
        XCTAssertEqual(dst[120 * 320 + 160], 200)
    }
}
