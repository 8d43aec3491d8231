import FrameIO
import RNNPoolEngine
import XCTest
import ArgumentParser
@testable import rnnpool_cam

/// The headless JSON against a fake detector behind the FaceDetecting seam: faces,
/// timings and memory figures come straight from the detector, boxes in frame pixels.
final class HeadlessJSONTests: XCTestCase {
    final class FakeDetector: FaceDetecting {
        var calls: [(width: Int, height: Int, threshold: Float, firstPixel: UInt8)] = []
        var failOnCall: Int?
        var memory = MemorySnapshot(capBytes: 262_144, currentBytes: 1_000, peakBytes: 150_000, framePeakBytes: 120_000,
                                    layers: [LayerMemory(name: "stem", peakBytes: 76_800), LayerMemory(name: "rnnpool", peakBytes: 120_000)],
                                    timeline: [0, 76_800, 120_000], weightBytes: 300_000, baselines: [BaselineMemory(name: "strided-conv CNN", peakBytes: 614_400)])

        struct Overflow: Error, CustomStringConvertible {
            var description: String { "layer rnnpool needs 120000 bytes, 100000 available, 20000 missing" }
        }

        func detect(luma: UnsafeBufferPointer<UInt8>, width: Int, height: Int, threshold: Float) throws -> DetectionResult {
            calls.append((width, height, threshold, luma[0]))
            if calls.count == failOnCall { throw Overflow() }
            let faces = [FaceBox(x: 10.25, y: 5, w: 30, h: 40, score: 0.91234),
                         FaceBox(x: Float(width) - 5, y: -4, w: 20, h: 20, score: 0.6)]
            return DetectionResult(faces: faces, milliseconds: 3.14159, memory: memory)
        }
    }

    final class ListSource: FrameSource {
        var frames: [Frame]
        var label: String { "list" }
        var nominalFPS: Double? { 10 }
        var closed = false
        init(_ frames: [Frame]) { self.frames = frames }
        func nextFrame() throws -> Frame? { frames.isEmpty ? nil : frames.removeFirst() }
        func close() { closed = true }
    }

    /// Delivers its frames, then fails the way an unplugged camera does.
    final class FailingSource: FrameSource {
        var frames: [Frame]
        var label: String { "/dev/video0" }
        var nominalFPS: Double? { 30 }
        init(_ frames: [Frame]) { self.frames = frames }
        func nextFrame() throws -> Frame? {
            if frames.isEmpty {
                throw FrameSourceError(.deviceLost, path: "/dev/video0", "device unplugged (ENODEV); stopped cleanly after 2 frames")
            }
            return frames.removeFirst()
        }
        func close() {}
    }

    func testSourceFailureMidStreamComesAfterTheWholeFrames() {
        var lines: [String] = []
        let runner = HeadlessRunner(source: FailingSource(frames(2)), detector: nil, threshold: 0.5,
                                    maxFrames: nil, emit: { lines.append($0) })
        XCTAssertThrowsError(try runner.run()) { error in
            XCTAssertEqual("\(error)", "/dev/video0: device unplugged (ENODEV); stopped cleanly after 2 frames")
        }
        XCTAssertEqual(lines.count, 2)
    }

    /// Every kind of source error becomes exit status 1 (the message itself is checked
    /// per kind in FrameIOTests and, on real paths, by running the binary).
    func testEverySourceErrorExitsWithStatus1() {
        let kinds: [FrameSourceError.Kind] = [.noSuchDevice, .notACaptureDevice, .permissionDenied, .deviceBusy,
                                              .noUsableFormat, .deviceLost, .deviceFailed, .timeout, .badMagic,
                                              .missingDimension, .unsupportedColourspace, .unsupportedInterlacing,
                                              .emptyFile, .truncated, .writeFailed]
        for kind in kinds {
            XCTAssertThrowsError(try reportingFailures { throw FrameSourceError(kind, path: "/dev/video0", "test") }) { error in
                XCTAssertEqual((error as? ExitCode)?.rawValue, 1, "\(kind)")
            }
        }
    }

    private func frames(_ n: Int) -> [Frame] {
        (0..<n).map { Frame(width: 64, height: 48, luma: [UInt8](repeating: UInt8($0 + 1), count: 64 * 48), timestamp: Double($0) / 10, index: $0) }
    }

    func testEachFrameBecomesOneLineWithFacesTimingsAndMemory() throws {
        let detector = FakeDetector()
        var lines: [String] = []
        let runner = HeadlessRunner(source: ListSource(frames(3)), detector: detector, threshold: 0.7,
                                    maxFrames: nil, tracking: false, emit: { lines.append($0) })
        XCTAssertEqual(try runner.run().reported, 3)
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(detector.calls.map(\.firstPixel), [1, 2, 3], "the full-size luma of each frame")
        XCTAssertTrue(detector.calls.allSatisfy { $0.width == 64 && $0.height == 48 && $0.threshold == 0.7 })

        let o = try jsonObject(lines[1])
        XCTAssertEqual(o["frame"] as? Int, 1)
        XCTAssertEqual(o["timestamp"] as? Double, 0.1)
        XCTAssertEqual(o["width"] as? Int, 64)
        let faces = try XCTUnwrap(o["faces"] as? [[String: Any]])
        XCTAssertEqual(faces.count, 2)
        XCTAssertEqual(faces[0]["x"] as? Double, 10.3)
        XCTAssertEqual(faces[0]["y"] as? Int, 5)
        XCTAssertEqual(faces[0]["w"] as? Int, 30)
        XCTAssertEqual(faces[0]["h"] as? Int, 40)
        XCTAssertEqual(faces[0]["score"] as? Double, 0.9123)
        // The second box hangs off the frame's right and top edges: clipped to it.
        XCTAssertEqual(faces[1]["x"] as? Int, 59)
        XCTAssertEqual(faces[1]["y"] as? Int, 0)
        XCTAssertEqual(faces[1]["w"] as? Int, 5)
        XCTAssertEqual(faces[1]["h"] as? Int, 16)
        let timings = try XCTUnwrap(o["timings"] as? [String: Any])
        XCTAssertEqual(timings["detect_ms"] as? Double, 3.142)
        let memory = try XCTUnwrap(o["memory"] as? [String: Any])
        XCTAssertEqual(memory["cap_bytes"] as? Int, 262_144)
        XCTAssertEqual(memory["peak_bytes"] as? Int, 150_000)
        XCTAssertEqual(memory["frame_peak_bytes"] as? Int, 120_000)
        XCTAssertEqual(memory["weight_bytes"] as? Int, 300_000)
        XCTAssertEqual(memory["baseline_peak_bytes"] as? Int, 614_400)
        let baselines = try XCTUnwrap(memory["baselines"] as? [[String: Any]])
        XCTAssertEqual(baselines.map { $0["name"] as? String }, ["strided-conv CNN"])
        XCTAssertEqual(baselines.map { $0["peak_bytes"] as? Int }, [614_400])
        XCTAssertEqual(baselines.map { $0["ratio"] as? Double }, [4.1], "614,400 / 150,000 to 2 decimals")
        let layers = try XCTUnwrap(memory["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.map { $0["name"] as? String }, ["stem", "rnnpool"])
        // Keys in a fixed order, so the lines read the same way every time.
        XCTAssertTrue(lines[0].hasPrefix("{\"frame\":0,\"timestamp\":0,\"width\":64,\"height\":48,\"faces\":[{\"x\":10.3,"), lines[0])
    }

    func testTrackedFacesCarryTheSameIdFromFrameToFrame() throws {
        let detector = FakeDetector()
        var lines: [String] = []
        let runner = HeadlessRunner(source: ListSource(frames(3)), detector: detector, threshold: 0.7,
                                    maxFrames: nil, emit: { lines.append($0) })
        XCTAssertEqual(try runner.run().reported, 3)
        XCTAssertTrue(detector.calls.allSatisfy { abs($0.threshold - 0.6) < 1e-6 },
                      "the detector reports down to the tracker's hysteresis below the threshold")
        for line in lines {
            let faces = try XCTUnwrap(try jsonObject(line)["faces"] as? [[String: Any]])
            XCTAssertEqual(faces.map { $0["id"] as? Int }, [1], "one face, one id; the 0.6 one stays below 0.7: \(line)")
            XCTAssertEqual(faces[0]["score"] as? Double, 0.9123)
        }
        XCTAssertTrue(lines[0].hasPrefix("{\"frame\":0,\"timestamp\":0,\"width\":64,\"height\":48,\"faces\":[{\"id\":1,\"x\":10.3,"), lines[0])
    }

    func testDetectorFailureIsReportedInTheLineAndTheStreamGoesOn() throws {
        let detector = FakeDetector()
        detector.failOnCall = 2
        var lines: [String] = []
        let runner = HeadlessRunner(source: ListSource(frames(3)), detector: detector, threshold: 0.5,
                                    maxFrames: nil, emit: { lines.append($0) })
        let run = try runner.run()
        XCTAssertEqual(run.reported, 3)
        XCTAssertEqual(run.failed, 1, "the failure is counted for the exit status")
        let failed = try jsonObject(lines[1])
        XCTAssertEqual((failed["faces"] as? [Any])?.count, 0)
        XCTAssertEqual(failed["error"] as? String, "layer rnnpool needs 120000 bytes, 100000 available, 20000 missing")
        let memory = try XCTUnwrap(failed["memory"] as? [String: Any])
        let baselines = try XCTUnwrap(memory["baselines"] as? [[String: Any]])
        XCTAssertTrue(baselines.allSatisfy { $0["ratio"] is NSNull }, "no ratio from a frame that did not fit: \(lines[1])")
        let fine = try XCTUnwrap(try jsonObject(lines[2])["memory"] as? [String: Any])
        XCTAssertTrue((fine["baselines"] as? [[String: Any]])?.allSatisfy { $0["ratio"] is Double } == true)
        XCTAssertEqual((try jsonObject(lines[2])["faces"] as? [Any])?.count, 2)
    }

    func testWithoutADetectorFacesAreEmptyAndNothingIsInvented() throws {
        var lines: [String] = []
        let runner = HeadlessRunner(source: ListSource(frames(2)), detector: nil, threshold: 0.5,
                                    maxFrames: nil, emit: { lines.append($0) })
        XCTAssertEqual(try runner.run().reported, 2)
        let o = try jsonObject(lines[0])
        XCTAssertEqual((o["faces"] as? [Any])?.count, 0)
        XCTAssertTrue(o["memory"] is NSNull)
        XCTAssertTrue((o["timings"] as? [String: Any])?["detect_ms"] is NSNull)
    }

    func testFrameLimitAndStopRequest() throws {
        var lines: [String] = []
        XCTAssertEqual(try HeadlessRunner(source: ListSource(frames(5)), detector: nil, threshold: 0.5,
                                          maxFrames: 2, emit: { lines.append($0) }).run().reported, 2)
        var polled = 0
        let stopping = HeadlessRunner(source: ListSource(frames(5)), detector: nil, threshold: 0.5, maxFrames: nil,
                                      shouldStop: { polled += 1; return polled > 3 }, emit: { _ in })
        XCTAssertEqual(try stopping.run().reported, 3)
    }

    func testJSONEscaping() {
        XCTAssertEqual(JSONText.string("a\"b\\c\nd\u{1}").rendered, "\"a\\\"b\\\\c\\nd\\u0001\"")
        XCTAssertEqual(JSONText.number(.nan, decimals: 2).rendered, "null")
        XCTAssertEqual(JSONText.number(2.0, decimals: 2).rendered, "2")
        XCTAssertEqual(JSONText.number(0.125, decimals: 2).rendered, "0.13")
    }
}
