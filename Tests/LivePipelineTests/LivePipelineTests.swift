import XCTest
import FrameIO
@testable import RNNPoolEngine
@testable import LivePipeline

/// Capture, the one-frame slot, the detector thread and the inline (headless) loop,
/// without a terminal.
final class LivePipelineTests: XCTestCase {
    private func frame(_ index: Int) -> Frame {
        Frame(width: 2, height: 2, luma: [0, 0, 0, 0], timestamp: 0, index: index)
    }

    func testSlotKeepsNewestFrameAndCountsReplacedOnes() {
        let slot = LatestFrameSlot()
        slot.put(frame(1))
        slot.put(frame(2))
        slot.put(frame(3))
        XCTAssertEqual(slot.dropped, 2)
        XCTAssertEqual(slot.take()?.index, 3)
        slot.close()
        XCTAssertNil(slot.take(), "closing wakes a waiting detector with nil")
    }

    func testSlowDetectorDropsFramesInsteadOfQueueing() {
        let source = FakeSource(count: 40, interval: 0.002)
        let detector = FakeDetector(delay: 0.03)
        let pipeline = LivePipeline(source: source, detector: detector, threshold: 0.5, tracking: true)
        let recorder = FakeRecorder()
        pipeline.recording.start(recorder, path: "/tmp/fake.y4m")
        pipeline.start()
        XCTAssertTrue(pipeline.waitForCapture(seconds: 10))
        XCTAssertTrue(pipeline.waitForDetector(seconds: 10))
        let state = pipeline.state
        let dropped = pipeline.droppedFrames
        XCTAssertEqual(state.framesCaptured, 40)
        XCTAssertTrue(state.endOfSource)
        XCTAssertEqual(state.latestFrame?.index, 39, "the preview gets every frame")
        XCTAssertGreaterThan(dropped, 0)
        XCTAssertLessThan(state.detectionsCompleted, 40)
        // Every captured frame was either detected, dropped, or still waiting when closed.
        XCTAssertLessThanOrEqual(state.detectionsCompleted + dropped, 40)
        XCTAssertGreaterThanOrEqual(state.detectionsCompleted + dropped, 39)
        XCTAssertEqual(state.detection?.faces.count, 1)
        XCTAssertEqual(state.detection?.faces.first?.id, 1, "the one face is tracked under one id throughout")
        XCTAssertEqual(recorder.indices, Array(0..<40), "recording gets every captured frame, in order")
    }

    func testDetectorErrorIsReportedAndTheLoopCarriesOn() {
        let source = FakeSource(count: 5, interval: 0.01)
        let detector = FakeDetector(delay: 0, failing: true)
        let pipeline = LivePipeline(source: source, detector: detector, threshold: 0.5, tracking: false)
        pipeline.start()
        XCTAssertTrue(pipeline.waitForCapture(seconds: 5))
        XCTAssertTrue(pipeline.waitForDetector(seconds: 5))
        let state = pipeline.state
        XCTAssertEqual(state.framesCaptured, 5, "capture keeps going while detection fails")
        XCTAssertEqual(state.detectorError, FakeOverflow().description)
        XCTAssertNil(state.detection)
        XCTAssertEqual(state.memory, FakeDetector.memory, "memory figures still reach the overlay")
    }

    func testSourceErrorStopsCaptureWithItsMessage() {
        final class BrokenSource: FrameSource {
            var label: String { "broken.y4m" }
            var nominalFPS: Double? { nil }
            func nextFrame() throws -> Frame? {
                struct Truncated: Error, CustomStringConvertible { var description: String { "broken.y4m: frame 3 is cut short" } }
                throw Truncated()
            }
            func close() {}
        }
        let pipeline = LivePipeline(source: BrokenSource(), detector: nil, threshold: 0.5, tracking: true)
        pipeline.start()
        XCTAssertTrue(pipeline.waitForCapture(seconds: 5))
        XCTAssertEqual(pipeline.state.sourceError, "broken.y4m: frame 3 is cut short")
    }

    func testRecordingFailureClosesTheFileAndIsReportedOnce() {
        let recording = RecordingSession()
        let recorder = FakeRecorder(failAfter: 2)
        recording.start(recorder, path: "/tmp/x.y4m")
        for i in 0..<5 { recording.append(frame(i)) }
        XCTAssertFalse(recording.isRecording)
        XCTAssertTrue(recorder.closed)
        let failure = recording.takeFailure()
        XCTAssertEqual(failure?.frames, 2)
        XCTAssertEqual(failure?.error, "recording /tmp/x.y4m failed: no space left on device")
        XCTAssertNil(recording.takeFailure())
        XCTAssertNil(recording.stop())
    }

    func testStoppingARecordingClosesItAndReportsItsLength() {
        let recording = RecordingSession()
        let recorder = FakeRecorder()
        recording.start(recorder, path: "/tmp/y.y4m")
        recording.append(frame(0))
        recording.append(frame(1))
        XCTAssertEqual(recording.framesWritten, 2)
        XCTAssertEqual(recording.stop(), RecordingSession.Finished(path: "/tmp/y.y4m", frames: 2, error: nil))
        XCTAssertTrue(recorder.closed)
        recording.append(frame(2))
        XCTAssertEqual(recorder.indices, [0, 1], "nothing is written after stop")
    }

    func testInlineRunReportsEveryFrameInOrderWithTrackedFaces() throws {
        let pipeline = LivePipeline(source: FakeSource(count: 6), detector: FakeDetector(delay: 0), threshold: 0.5,
                                    tracking: true)
        var indices: [Int] = [], ids: [Int?] = []
        let n = try pipeline.runInline { frame, outcome, _ in
            indices.append(frame.index)
            ids += outcome.faces.map(\.id)
        }
        XCTAssertEqual(n, 6)
        XCTAssertEqual(indices, Array(0..<6), "headless reports every frame, none dropped")
        XCTAssertEqual(Set(ids), [1], "one face, one id")
        XCTAssertEqual(pipeline.state.detectionsCompleted, 6)
    }

    func testInlineRunStopsAtMaxFramesAndWhenAskedTo() throws {
        let three = LivePipeline(source: FakeSource(count: 50), detector: nil, threshold: 0.5, tracking: true, maxFrames: 3)
        XCTAssertEqual(try three.runInline { _, outcome, _ in XCTAssertTrue(outcome.faces.isEmpty) }, 3)
        let pipeline = LivePipeline(source: FakeSource(count: 50), detector: nil, threshold: 0.5, tracking: true)
        var calls = 0
        XCTAssertEqual(try pipeline.runInline(shouldStop: { calls += 1; return calls > 2 }) { _, _, _ in }, 2)
    }

    /// --frames ends the source for the threaded (UI) run too.
    func testThreadedRunEndsAfterMaxFrames() {
        let pipeline = LivePipeline(source: FakeSource(count: 50), detector: FakeDetector(delay: 0), threshold: 0.5,
                                    tracking: true, maxFrames: 10)
        pipeline.start()
        XCTAssertTrue(pipeline.waitForCapture(seconds: 5))
        XCTAssertEqual(pipeline.state.framesCaptured, 10)
        XCTAssertTrue(pipeline.state.endOfSource)
        _ = pipeline.stop()
    }

    /// The player keys' requests: while paused a step delivers one frame, a seek moves
    /// from the frame shown and delivers it; a camera (not seekable) ignores seeks.
    func testStepAndSeekWhilePausedOnAFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seek-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = Array("YUV4MPEG2 W2 H2 F10:1 Ip A1:1 Cmono\n".utf8)
        for k in 0..<40 { bytes += Array("FRAME\n".utf8) + [UInt8](repeating: UInt8(k), count: 4) }
        let path = dir.appendingPathComponent("clip.y4m").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let pipeline = LivePipeline(source: try Y4MReader(path: path, pacing: false), detector: nil, threshold: 0.5,
                                    tracking: false)
        XCTAssertTrue(pipeline.canSeek)
        pipeline.setPaused(true)
        pipeline.start()
        defer { _ = pipeline.stop() }
        func shown(after action: () -> Void, file: StaticString = #filePath, line: UInt = #line) -> UInt8? {
            let before = pipeline.state.framesCaptured
            action()
            let deadline = Date().addingTimeInterval(5)
            while pipeline.state.framesCaptured == before && Date() < deadline { usleep(1000) }
            usleep(50_000)   // nothing more arrives while paused
            XCTAssertEqual(pipeline.state.framesCaptured, before + 1, "exactly one frame", file: file, line: line)
            return pipeline.state.latestFrame?.luma[0]
        }
        XCTAssertEqual(shown { pipeline.step() }, 0)
        XCTAssertEqual(shown { pipeline.step() }, 1)
        XCTAssertEqual(shown { pipeline.seek(byFrames: 20) }, 21)
        XCTAssertTrue(pipeline.state.latestFrame?.startsNewPass ?? false, "tracks restart after a seek")
        XCTAssertEqual(shown { pipeline.seek(byFrames: -1) }, 20)
        XCTAssertEqual(shown { pipeline.seek(byFrames: -100) }, 0, "clamped to the first frame")
        XCTAssertFalse(LivePipeline(source: FakeSource(count: 3), detector: nil, threshold: 0.5, tracking: false).canSeek)
        XCTAssertEqual(pipeline.seeksRefused, 0)
    }

    /// A seek the file refuses is counted (the UI says so), and the pipeline goes on
    /// from where it was.
    func testASeekTheFileRefusesIsCountedAndPlaybackGoesOn() throws {
        let pipeline = LivePipeline(source: UnseekableFile(), detector: nil, threshold: 0.5, tracking: false)
        pipeline.setPaused(true)
        pipeline.start()
        defer { _ = pipeline.stop() }
        pipeline.seek(byFrames: -1)
        XCTAssertTrue(waitFor { pipeline.seeksRefused == 1 }, "the refusal is published")
        XCTAssertTrue(waitFor { pipeline.state.framesCaptured == 1 }, "the step after it shows the next frame")
        XCTAssertEqual(pipeline.state.latestFrame?.index, 0)
    }

    /// A source that starts over (a replay's loop) starts the tracks over: no ghost of
    /// the last pass's face, ids from 1 again.
    func testANewPassRestartsTheTracks() {
        /// One face whose left edge is the frame's first luma value.
        final class MovingFace: FaceDetecting {
            var memory: MemorySnapshot { FakeDetector.memory }
            func detect(luma: UnsafeBufferPointer<UInt8>, width: Int, height: Int, threshold: Float) throws -> DetectionResult {
                DetectionResult(faces: [FaceBox(x: Float(luma[0]), y: 10, w: 12, h: 12, score: 0.9)], milliseconds: 1,
                                memory: memory)
            }
        }
        func at(_ x: UInt8, newPass: Bool = false) -> Frame {
            Frame(width: 64, height: 64, luma: [UInt8](repeating: x, count: 64 * 64), timestamp: 0, index: 0,
                  startsNewPass: newPass)
        }
        var looping = FrameProcessor(detector: MovingFace(), tracking: true)
        var jumping = FrameProcessor(detector: MovingFace(), tracking: true)
        XCTAssertEqual(looping.process(at(40), threshold: 0.5).faces.map(\.id), [1])
        XCTAssertEqual(jumping.process(at(40), threshold: 0.5).faces.map(\.id), [1])
        // The face is elsewhere in the next frame: a new pass forgets the old track...
        XCTAssertEqual(looping.process(at(2, newPass: true), threshold: 0.5).faces.map(\.id), [1])
        // ...where within one pass the old one is held a while beside the new one.
        XCTAssertEqual(jumping.process(at(2), threshold: 0.5).faces.count, 2)
    }

    func testFacesAreClippedToTheFrame() {
        final class EdgeDetector: FaceDetecting {
            var memory: MemorySnapshot { FakeDetector.memory }
            func detect(luma: UnsafeBufferPointer<UInt8>, width: Int, height: Int, threshold: Float) throws -> DetectionResult {
                DetectionResult(faces: [FaceBox(x: -2, y: 0, w: 3, h: 1.5, score: 0.9),
                                        FaceBox(x: 20, y: 20, w: 4, h: 4, score: 0.8)],
                                milliseconds: 1, memory: memory)
            }
        }
        var processor = FrameProcessor(detector: EdgeDetector(), tracking: false)
        let outcome = processor.process(frame(0), threshold: 0.5)   // a 2x2 frame
        XCTAssertEqual(outcome.faces, [FaceBox(x: 0, y: 0, w: 1, h: 1.5, score: 0.9)],
                       "the part inside is kept, a box wholly outside is dropped")
    }

    func testOverflowAdviceNamesWhatAFrameNeeds() {
        final class SmallArenaDetector: FaceDetecting {
            var memory: MemorySnapshot { FakeDetector.memory }
            var requiredArenaBytes: Int? { 234_112 }
            func detect(luma: UnsafeBufferPointer<UInt8>, width: Int, height: Int, threshold: Float) throws -> DetectionResult {
                throw ArenaOverflowError(layer: "rnnpool", requestedBytes: 40_000, availableBytes: 12_400, capBytes: 102_400)
            }
        }
        var processor = FrameProcessor(detector: SmallArenaDetector(), tracking: true)
        let outcome = processor.process(frame(0), threshold: 0.5)
        XCTAssertEqual(outcome.requiredArenaBytes, 234_112)
        XCTAssertEqual(outcome.advice, "RAM cap 102,400 B is too small: the detector needs 234,112 B; try --ram-cap 229K")
        XCTAssertEqual(outcome.message, "\(outcome.error!); \(outcome.advice!)")
        XCTAssertTrue(outcome.faces.isEmpty)
    }

    func testRAMCapAdviceRoundsUpToWholeKiB() {
        XCTAssertEqual(RAMCapAdvice.option(for: 229 * 1024), "--ram-cap 229K", "an exact KiB needs no rounding")
        XCTAssertEqual(RAMCapAdvice.option(for: 229 * 1024 + 1), "--ram-cap 230K")
        XCTAssertEqual(RAMCapAdvice.grouped(999), "999")
        XCTAssertEqual(RAMCapAdvice.grouped(1_000_000), "1,000,000")
    }
}
