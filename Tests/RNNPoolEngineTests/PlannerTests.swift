import Foundation
import XCTest
@testable import RNNPoolEngine

final class PlannerTests: XCTestCase {
    func testLivenessPlannerKeepsTensorsUntilLastReader() {
        var p = LivenessPlanner(inputBytes: 100)
        let a = p.add("a", outputBytes: 1000, inputs: [-1])      // input + a
        let b = p.add("b", outputBytes: 10, inputs: [a])          // a + b (a still read by d)
        let c = p.add("c", outputBytes: 20, inputs: [b])          // a + b + c
        p.add("d", outputBytes: 5, inputs: [a, c])                // a + c + d
        let plan = p.plan()
        XCTAssertEqual(plan.layers.map(\.bytes), [1100, 1010, 1030, 1025])
        XCTAssertEqual(plan.peakBytes, 1100)
        XCTAssertEqual(plan.peakLayer, "a")
    }

    func testBaselineOfShippedArchitectureIsFullMaps() throws {
        let arch = try RNNPoolModel.load(path: Fixtures.path("random-model")).architecture
        let plan = BaselineNetwork.plan(for: arch)
        // The stem alone keeps a 160×120×4 float map next to its 320×240 input.
        XCTAssertEqual(plan.layers[0].bytes, 160 * 120 * 4 * 4 + 320 * 240)
        // A conventional runtime needs far more than the 256 KiB we run in.
        XCTAssertGreaterThan(plan.peakBytes, 4 * 256 * 1024)
    }

    func testBaselinesArePlannedInTheComparedPrecision() throws {
        let arch = try RNNPoolModel.load(path: Fixtures.path("random-model")).architecture
        XCTAssertEqual(BaselineNetwork.plan(for: arch, bytesPerElement: 1).layers[0].bytes, 160 * 120 * 4 + 320 * 240)
        // MobileNetV2-SSDLite peaks in block 1, stride 2: its 96-channel expansion of the
        // 160×120 map next to the 80×60 depthwise output (the block input is dead by then).
        let ssd8 = MobileNetV2SSDLite.plan(width: 320, height: 240, bytesPerElement: 1)
        XCTAssertEqual(ssd8.peakLayer, "mbv2.1.dw")
        XCTAssertEqual(ssd8.peakBytes, 96 * 160 * 120 + 96 * 80 * 60)
        XCTAssertEqual(MobileNetV2SSDLite.plan(width: 320, height: 240, bytesPerElement: 4).peakBytes, 4 * ssd8.peakBytes)
    }

    func testDetectorComparesWithBothBaselinesInItsOwnPrecision() throws {
        let model = try RNNPoolModel.load(path: Fixtures.path("random-model-int8"))
        for (precision, bytes) in [(Precision.int8, 1), (.float, 4)] {
            let det = try RNNPoolDetector(model: model, ramCapBytes: 256 * 1024, precision: precision)
            XCTAssertEqual(det.memory.baselines.map(\.name), [BaselineNetwork.name, MobileNetV2SSDLite.name])
            XCTAssertEqual(det.memory.baselines[1].peakBytes, bytes * (96 * 160 * 120 + 96 * 80 * 60))
        }
    }
}
