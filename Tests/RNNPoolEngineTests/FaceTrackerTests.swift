import XCTest
@testable import RNNPoolEngine

final class FaceTrackerTests: XCTestCase {
    private func face(_ x: Float, _ y: Float, score: Float = 0.9, size: Float = 40) -> FaceBox {
        FaceBox(x: x, y: y, w: size, h: size, score: score)
    }

    func testAFaceKeepsItsIdAndItsBoxIsSmoothed() {
        var tracker = FaceTracker()
        let first = tracker.update([face(100, 100)], threshold: 0.5)
        XCTAssertEqual(first.map(\.id), [1])
        let second = tracker.update([face(110, 100)], threshold: 0.5)
        XCTAssertEqual(second.map(\.id), [1], "a face that moved a little is the same face")
        XCTAssertGreaterThan(second[0].x, 100)
        XCTAssertLessThan(second[0].x, 110, "the box moves part of the way: no jitter from one noisy frame")
    }

    func testTwoFacesKeepTheirIdsWhateverTheDetectorsOrder() {
        var tracker = FaceTracker()
        let left = face(20, 50), right = face(200, 50, score: 0.8)
        XCTAssertEqual(Set(tracker.update([left, right], threshold: 0.5).compactMap(\.id)), [1, 2])
        let next = tracker.update([face(204, 52, score: 0.95), face(22, 50, score: 0.7)], threshold: 0.5)
        XCTAssertEqual(next.first { $0.x < 100 }?.id, 1)
        XCTAssertEqual(next.first { $0.x > 100 }?.id, 2)
        XCTAssertEqual(next.map(\.score), next.map(\.score).sorted(by: >), "best score first")
    }

    func testScoreHysteresisNeitherBlinksNorShowsWeakFaces() {
        var tracker = FaceTracker()
        XCTAssertTrue(tracker.update([face(50, 50, score: 0.45)], threshold: 0.5).isEmpty,
                      "a face below the threshold is not shown")
        XCTAssertTrue(tracker.update([face(50, 50, score: 0.55)], threshold: 0.5).isEmpty,
                      "just over the threshold: waits for a second frame")
        XCTAssertEqual(tracker.update([face(50, 50, score: 0.55)], threshold: 0.5).map(\.id), [1], "confirmed")
        // Hovering just under the threshold: stays shown, same id.
        for _ in 0..<5 {
            XCTAssertEqual(tracker.update([face(50, 50, score: 0.47)], threshold: 0.5).map(\.id), [1])
        }
        // Falling well below: hidden once the smoothed score passes threshold - hysteresis.
        var shown = 1
        for _ in 0..<5 { shown = tracker.update([face(50, 50, score: 0.2)], threshold: 0.5).count }
        XCTAssertEqual(shown, 0)
        XCTAssertEqual(tracker.detectionThreshold(for: 0.5), 0.4, accuracy: 1e-6)
    }

    func testAMissedFrameDoesNotBlinkButAGoneFaceDoesNotLinger() {
        var tracker = FaceTracker()
        _ = tracker.update([face(80, 80)], threshold: 0.5)
        XCTAssertEqual(tracker.update([], threshold: 0.5).map(\.id), [1], "one missed frame: still there")
        XCTAssertEqual(tracker.update([face(81, 80)], threshold: 0.5).map(\.id), [1], "and found again")
        for _ in 0..<2 { _ = tracker.update([], threshold: 0.5) }
        XCTAssertTrue(tracker.update([], threshold: 0.5).isEmpty, "gone after three frames without it")
        XCTAssertEqual(tracker.update([face(80, 80)], threshold: 0.5).map(\.id), [2], "a face that returns is new")
    }

    func testAOneFrameFalseAlarmJustOverTheThresholdNeverShows() {
        var tracker = FaceTracker()
        XCTAssertEqual(tracker.update([face(100, 100), face(10, 10, score: 0.55)], threshold: 0.5).map(\.id), [1],
                       "a clear face shows in its first frame; the weak newcomer waits")
        XCTAssertEqual(tracker.update([face(100, 100)], threshold: 0.5).map(\.id), [1], "and it never appears")
        XCTAssertEqual(tracker.update([face(100, 100)], threshold: 0.5).map(\.id), [1])
    }

    func testFarApartDetectionsAreNotMatched() {
        var tracker = FaceTracker()
        _ = tracker.update([face(0, 0)], threshold: 0.5)
        let next = tracker.update([face(300, 300)], threshold: 0.5)
        XCTAssertEqual(Set(next.compactMap(\.id)), [1, 2], "the old face is held for a frame, the new one is new")
        XCTAssertEqual(next.first { $0.x > 200 }?.x, 300, "a new track starts exactly at its detection")
    }
}
