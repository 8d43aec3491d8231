import Foundation
import FrameIO
import RNNPoolEngine
@testable import LivePipeline

/// A source of `count` small frames, optionally paced.
final class FakeSource: FrameSource {
    let count: Int
    let interval: Double
    private var next = 0
    private(set) var closed = false
    var label: String { "fake" }
    var nominalFPS: Double? { 30 }

    init(count: Int, interval: Double = 0) {
        self.count = count
        self.interval = interval
    }

    func nextFrame() throws -> Frame? {
        guard next < count else { return nil }
        if interval > 0 { Thread.sleep(forTimeInterval: interval) }
        defer { next += 1 }
        return Frame(width: 8, height: 6, luma: [UInt8](repeating: UInt8(next % 256), count: 48),
                     timestamp: Double(next) / 30, index: next)
    }

    func close() { closed = true }
}

/// A file whose every seek fails (FFmpeg could not move in it).
final class UnseekableFile: SeekableFrameSource {
    private let frames = FakeSource(count: 100)
    var label: String { frames.label }
    var nominalFPS: Double? { frames.nominalFPS }
    var canSeek: Bool { true }
    func nextFrame() throws -> Frame? { try frames.nextFrame() }
    func seek(fromLastDeliveredBy frames: Int) -> Bool { false }
    func close() { frames.close() }
}

struct FakeOverflow: Error, CustomStringConvertible {
    var description: String { "arena overflow in conv1: 40960 bytes requested, 16384 available, 24576 missing" }
}

/// Takes `delay` seconds per frame; finds one face; throws when `failing`.
final class FakeDetector: FaceDetecting {
    let delay: Double
    let failing: Bool

    static let memory = MemorySnapshot(capBytes: 256 * 1024, currentBytes: 12 * 1024, peakBytes: 188 * 1024,
                                       framePeakBytes: 180 * 1024, layers: [], timeline: [], weightBytes: 90 * 1024,
                                       baselines: [])

    init(delay: Double, failing: Bool = false) {
        self.delay = delay
        self.failing = failing
    }

    var memory: MemorySnapshot { FakeDetector.memory }

    func detect(luma: UnsafeBufferPointer<UInt8>, width: Int, height: Int, threshold: Float) throws -> DetectionResult {
        Thread.sleep(forTimeInterval: delay)
        if failing { throw FakeOverflow() }
        return DetectionResult(faces: [FaceBox(x: 1, y: 1, w: 4, h: 4, score: 0.9)], milliseconds: delay * 1000,
                               memory: FakeDetector.memory)
    }
}

/// Records appended frame indices in memory; can fail on the n-th append.
final class FakeRecorder: FrameRecorder {
    private(set) var indices: [Int] = []
    private(set) var closed = false
    let failAfter: Int?

    init(failAfter: Int? = nil) { self.failAfter = failAfter }

    var framesWritten: Int { indices.count }

    func append(_ frame: Frame) throws {
        if let failAfter, indices.count >= failAfter {
            struct DiskFull: Error, CustomStringConvertible { var description: String { "no space left on device" } }
            throw DiskFull()
        }
        indices.append(frame.index)
    }

    func close() throws { closed = true }
}

/// Polls `condition` until it holds or `timeout` seconds pass (no fixed sleeps: a busy
/// machine must not fail a test).
func waitFor(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() >= deadline { return false }
        usleep(1000)
    }
    return true
}
