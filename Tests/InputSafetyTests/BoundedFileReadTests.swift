import Foundation
import XCTest
import InputSafety

/// Whole-file reads never take more than their limit, whatever the path names.
final class BoundedFileReadTests: XCTestCase {
    func testANeverEndingDeviceStopsAtTheLimit() {
        XCTAssertThrowsError(try readWholeFile("/dev/zero", limit: 1 << 20)) { error in
            XCTAssertEqual(error as? BoundedReadError, .tooLarge(limit: 1 << 20))
            XCTAssertEqual((error as? BoundedReadError)?.text, "larger than the 1 MiB limit")
        }
    }

    func testAFileOverTheLimitIsRefusedAndOneAtTheLimitIsRead() throws {
        let path = NSTemporaryDirectory() + "bounded-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: 1000))
        XCTAssertEqual(try readWholeFile(path, limit: 1000), [UInt8](repeating: 7, count: 1000))
        XCTAssertThrowsError(try readWholeFile(path, limit: 999)) { error in
            XCTAssertEqual(error as? BoundedReadError, .tooLarge(limit: 999))
        }
    }

    func testDirectoriesAndMissingFilesSaySo() {
        XCTAssertThrowsError(try readWholeFile(NSTemporaryDirectory(), limit: 10)) { error in
            XCTAssertEqual(error as? BoundedReadError, .isDirectory)
        }
        XCTAssertThrowsError(try readWholeFile("/nonexistent/file", limit: 10)) { error in
            XCTAssertEqual(error as? BoundedReadError, .noSuchFile)
        }
    }
}
