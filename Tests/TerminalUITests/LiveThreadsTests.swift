import XCTest
import FrameIO
import RNNPoolEngine
@testable import TerminalUI

/// Capture, the one-frame slot and the detector thread, without a terminal.
final class LiveThreadsTests: XCTestCase {
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
        let shared = LiveShared(threshold: 0.5, memory: detector.memory)
        let slot = LatestFrameSlot()
        let recording = RecordingSession()
        let recorder = FakeRecorder()
        recording.start(recorder, path: "/tmp/fake.y4m")
        let capture = WorkerThreads.startCapture(source: HandOff(source), shared: shared, slot: slot, recording: recording)
        let detection = WorkerThreads.startDetector(detector: HandOff(detector), shared: shared, slot: slot,
                                                    tracking: true)
        XCTAssertTrue(capture.wait(seconds: 10))
        slot.close()
        XCTAssertTrue(detection.wait(seconds: 10))
        let state = shared.state.withLock { $0 }
        XCTAssertEqual(state.framesCaptured, 40)
        XCTAssertTrue(state.endOfSource)
        XCTAssertEqual(state.latestFrame?.index, 39, "the preview gets every frame")
        XCTAssertGreaterThan(slot.dropped, 0)
        XCTAssertLessThan(state.detectionsCompleted, 40)
        // Every captured frame was either detected, dropped, or still waiting when closed.
        XCTAssertLessThanOrEqual(state.detectionsCompleted + slot.dropped, 40)
        XCTAssertGreaterThanOrEqual(state.detectionsCompleted + slot.dropped, 39)
        XCTAssertEqual(state.detection?.faces.count, 1)
        XCTAssertEqual(state.detection?.faces.first?.id, 1, "the one face is tracked under one id throughout")
        XCTAssertEqual(recorder.indices, Array(0..<40), "recording gets every captured frame, in order")
    }

    func testDetectorErrorIsReportedAndTheLoopCarriesOn() {
        let source = FakeSource(count: 5, interval: 0.01)
        let detector = FakeDetector(delay: 0, failing: true)
        let shared = LiveShared(threshold: 0.5, memory: nil)
        let slot = LatestFrameSlot()
        let capture = WorkerThreads.startCapture(source: HandOff(source), shared: shared, slot: slot,
                                                 recording: RecordingSession())
        let detection = WorkerThreads.startDetector(detector: HandOff(detector), shared: shared, slot: slot,
                                                    tracking: false)
        XCTAssertTrue(capture.wait(seconds: 5))
        slot.close()
        XCTAssertTrue(detection.wait(seconds: 5))
        let state = shared.state.withLock { $0 }
        XCTAssertEqual(state.framesCaptured, 5, "capture keeps going while detection fails")
        XCTAssertEqual(state.detectorError, FakeOverflow().description)
        XCTAssertNil(state.detection)
        XCTAssertEqual(state.memory, Fixtures.memory, "memory figures still reach the overlay")
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
        let shared = LiveShared(threshold: 0.5, memory: nil)
        let capture = WorkerThreads.startCapture(source: HandOff(BrokenSource()), shared: shared, slot: nil,
                                                 recording: RecordingSession())
        XCTAssertTrue(capture.wait(seconds: 5))
        XCTAssertEqual(shared.state.withLock { $0.sourceError }, "broken.y4m: frame 3 is cut short")
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

    func testOutputNamesAreTimestampedAndNeverOverwrite() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnpool-ui-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let first = OutputNames.recording(in: directory.path, date: date)
        XCTAssertTrue(first.hasSuffix(".y4m"))
        XCTAssertTrue(first.contains("rnnpool-cam-\(OutputNames.timestamp(date))"))
        FileManager.default.createFile(atPath: first, contents: Data())
        XCTAssertEqual(OutputNames.recording(in: directory.path, date: date), first.replacingOccurrences(of: ".y4m", with: "-2.y4m"))
        XCTAssertTrue(OutputNames.still(in: directory.path, frameIndex: 17, date: date).hasSuffix("-frame17.pgm"))
    }
}
