import XCTest
@testable import TerminalUI

/// The file names the UI's r and s keys write.
final class OutputNamesTests: XCTestCase {
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
