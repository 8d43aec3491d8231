import XCTest
@testable import FrameIO

/// The key pictures a raw H.264, HEVC or MJPEG stream's reader has passed, which its seeks back
/// go to (MediaReaderTests seeks through real clips).
final class KeyPictureIndexTests: XCTestCase {
    func testSeeksFindTheLastKeyPictureAtOrBeforeTheirTarget() {
        var index = KeyPictureIndex()
        index.record(position: 0, time: 0)
        index.record(position: 22_436, time: 0.48)
        index.record(position: 41_000, time: 0.96)
        // Met again after a seek back, or out of order: nothing changes.
        index.record(position: 22_436, time: 0.48)
        index.record(position: 9_000, time: 0.2)
        index.record(position: -1, time: 2)   // FFmpeg did not know where it began
        XCTAssertEqual(index.entries.map(\.position), [0, 22_436, 41_000])

        XCTAssertEqual(index.last(atOrBefore: 0.9, slack: 0.02)?.position, 22_436)
        XCTAssertEqual(index.last(atOrBefore: 0.95, slack: 0.02)?.position, 41_000)   // within the slack
        XCTAssertEqual(index.last(atOrBefore: 0.47, slack: 0)?.position, 0)
        XCTAssertEqual(index.last(atOrBefore: 10, slack: 0)?.position, 41_000)
        XCTAssertNil(KeyPictureIndex().last(atOrBefore: 1, slack: 0))

        XCTAssertEqual(index.time(at: 22_436), 0.48)
        XCTAssertEqual(index.time(at: 0), 0)
        XCTAssertNil(index.time(at: 22_437))
        XCTAssertNil(index.time(at: 50_000))
    }

    /// Full, it keeps every other entry and goes on: a long stream's seeks back still
    /// find a key picture near their target, wherever it is.
    func testAtItsCapacityItThinsOutAndStillSpansTheStream() {
        var index = KeyPictureIndex()
        let n = KeyPictureIndex.capacity * 3
        for i in 0..<n { index.record(position: Int64(i) * 1000, time: Double(i)) }
        XCTAssertLessThanOrEqual(index.entries.count, KeyPictureIndex.capacity)
        XCTAssertGreaterThan(index.entries.count, KeyPictureIndex.capacity / 2)
        XCTAssertEqual(index.entries.first?.time, 0)
        // Anywhere in the stream, the key picture found is at most four apart from the target.
        for target in Array(stride(from: 0.0, to: Double(n), by: 997)) + [Double(n - 1)] {
            let found = try! XCTUnwrap(index.last(atOrBefore: target, slack: 0)).time
            XCTAssertLessThanOrEqual(found, target)
            XCTAssertLessThanOrEqual(target - found, 4, "at \(target)")
        }
        XCTAssertEqual(index.entries.map(\.position), index.entries.map(\.position).sorted())
    }
}
