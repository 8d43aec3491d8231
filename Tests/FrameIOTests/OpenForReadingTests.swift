import XCTest
@testable import FrameIO

/// Both file readers share one way of opening a file, and so the same one-line errors.
final class OpenForReadingTests: XCTestCase {
    let files = TestFiles()

    func testADirectoryIsRefusedNamingWhatWasExpected() throws {
        XCTAssertThrowsError(try PNMImage.read(path: files.directory)) { error in
            XCTAssertEqual("\(error)", "\(files.directory): is a directory, not an image file")
        }
        XCTAssertThrowsError(try Y4MReader(path: files.directory)) { error in
            XCTAssertEqual("\(error)", "\(files.directory): is a directory, not a .y4m file")
        }
    }

    func testAMissingFileIsRefusedByBothReaders() throws {
        let missing = files.path("none.y4m")
        XCTAssertThrowsError(try Y4MReader(path: missing)) { XCTAssertEqual("\($0)", "\(missing): no such file") }
        XCTAssertThrowsError(try PNMImage.read(path: missing)) { XCTAssertEqual("\($0)", "\(missing): no such file") }
    }
}
