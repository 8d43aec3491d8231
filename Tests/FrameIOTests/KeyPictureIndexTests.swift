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

    func testItStopsGrowingAtItsCapacity() {
        var index = KeyPictureIndex()
        for i in 0..<(KeyPictureIndex.capacity + 10) { index.record(position: Int64(i) * 1000, time: Double(i)) }
        XCTAssertEqual(index.entries.count, KeyPictureIndex.capacity)
        XCTAssertEqual(index.last(atOrBefore: 1e9, slack: 0)?.time, Double(KeyPictureIndex.capacity - 1))
    }
}
