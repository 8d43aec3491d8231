import XCTest
@testable import FrameIO

/// The player's step and seek keys on a .y4m file (SeekableFrameSource).
final class Y4MSeekTests: XCTestCase {
    let files = TestFiles()

    /// A 4x2 mono clip whose frame k is filled with k.
    private func clip(_ count: Int, frameLine: String = "FRAME", cutTail: Bool = false) throws -> Y4MReader {
        var bytes = Y4MBytes.file(header: "YUV4MPEG2 W4 H2 F10:1 Ip A1:1 Cmono",
                                  frames: (0..<count).map { [UInt8](repeating: UInt8($0), count: 8) },
                                  frameLine: frameLine)
        if cutTail { bytes += Array("FRAME\n".utf8) + [9, 9, 9] }
        return try Y4MReader(path: files.write("seek-\(count)-\(cutTail).y4m", bytes), pacing: false)
    }

    private func shows(_ reader: Y4MReader, file: StaticString = #filePath, line: UInt = #line) throws -> UInt8 {
        let frame = try XCTUnwrap(reader.nextFrame(), file: file, line: line)
        return frame.luma[0]
    }

    func testStepBackAndAgainAndForward() throws {
        let r = try clip(10)
        for k in 0..<5 { XCTAssertEqual(try shows(r), UInt8(k)) }
        XCTAssertTrue(r.seek(fromLastDeliveredBy: -1))
        XCTAssertEqual(try shows(r), 3, "the frame before the last one shown")
        XCTAssertTrue(r.seek(fromLastDeliveredBy: 0))
        XCTAssertEqual(try shows(r), 3, "the same frame again")
        XCTAssertTrue(r.seek(fromLastDeliveredBy: 4))
        XCTAssertEqual(try shows(r), 7, "ahead of every frame read so far")
        XCTAssertEqual(try shows(r), 8, "and plays on from there")
    }

    func testSeeksClampToTheFirstAndTheLastWholeFrame() throws {
        for cut in [false, true] {
            let r = try clip(6, cutTail: cut)
            XCTAssertEqual(try shows(r), 0)
            XCTAssertTrue(r.seek(fromLastDeliveredBy: 1000))
            XCTAssertEqual(try shows(r), 5, "the last whole frame (cut tail: \(cut))")
            XCTAssertTrue(r.seek(fromLastDeliveredBy: -1000))
            XCTAssertEqual(try shows(r), 0)
        }
    }

    func testFrameParametersOfAnyLengthAreSteppedOver() throws {
        let r = try clip(8, frameLine: "FRAME Ixyz " + String(repeating: "X", count: 2000))
        XCTAssertEqual(try shows(r), 0)
        XCTAssertTrue(r.seek(fromLastDeliveredBy: 6))
        XCTAssertEqual(try shows(r), 6)
        XCTAssertTrue(r.seek(fromLastDeliveredBy: -5))
        XCTAssertEqual(try shows(r), 1)
    }

    func testTheFrameAfterASeekStartsANewPassForTheTracker() throws {
        let r = try clip(5)
        let first = try XCTUnwrap(r.nextFrame())
        XCTAssertFalse(first.startsNewPass)
        XCTAssertFalse(try XCTUnwrap(r.nextFrame()).startsNewPass)
        XCTAssertTrue(r.seek(fromLastDeliveredBy: 2))
        XCTAssertTrue(try XCTUnwrap(r.nextFrame()).startsNewPass)
        XCTAssertFalse(try XCTUnwrap(r.nextFrame()).startsNewPass)
    }

    func testNothingToSeekFromBeforeTheFirstFrame() throws {
        let r = try clip(3)
        XCTAssertFalse(r.seek(fromLastDeliveredBy: 1))
        XCTAssertEqual(try shows(r), 0)
    }
}
