import XCTest
@testable import TerminalUI

final class PreviewLayoutTests: XCTestCase {
    func testKeepsAspectWithCellsTwiceAsTallAsWide() {
        // 320x240 (4:3) in 120x38: limited by height, 38 rows = 76 half-cells → 101 columns.
        let tall = PreviewLayout(frameWidth: 320, frameHeight: 240, areaColumns: 120, areaRows: 38)
        XCTAssertEqual(tall.rows, 38)
        XCTAssertEqual(tall.columns, 101)
        XCTAssertEqual(tall.left, 9, "centred horizontally")
        XCTAssertEqual(tall.top, 0)
        // In a wide-but-short area the width limits instead.
        let wide = PreviewLayout(frameWidth: 320, frameHeight: 240, areaColumns: 60, areaRows: 40)
        XCTAssertEqual(wide.columns, 60)
        XCTAssertEqual(wide.rows, 23)
        XCTAssertEqual(wide.top, 8)
    }

    func testWholeFrameBoxCoversExactlyThePicture() {
        for (fw, fh, ac, ar) in [(320, 240, 120, 38), (640, 480, 238, 68), (33, 17, 40, 8), (1, 1, 40, 8)] {
            let layout = PreviewLayout(frameWidth: fw, frameHeight: fh, areaColumns: ac, areaRows: ar)
            let rect = try! XCTUnwrap(layout.cellRect(x: 0, y: 0, width: Double(fw), height: Double(fh)))
            XCTAssertEqual(rect.left, layout.left)
            XCTAssertEqual(rect.top, layout.top)
            XCTAssertEqual(rect.right, layout.left + layout.columns - 1)
            XCTAssertEqual(rect.bottom, layout.top + layout.rows - 1)
        }
    }

    func testBoxesPastTheEdgesAreClippedAndOutsideBoxesVanish() {
        let layout = PreviewLayout(frameWidth: 100, frameHeight: 100, areaColumns: 50, areaRows: 25)
        let clipped = try! XCTUnwrap(layout.cellRect(x: 90, y: 90, width: 50, height: 50))
        XCTAssertEqual(clipped.right, layout.left + layout.columns - 1)
        XCTAssertEqual(clipped.bottom, layout.top + layout.rows - 1)
        XCTAssertNil(layout.cellRect(x: 100, y: 0, width: 10, height: 10))
        XCTAssertNil(layout.cellRect(x: -20, y: -20, width: 20, height: 20))
    }

    func testBoxEndingOnACellBoundaryDoesNotSpillIntoTheNextCell() {
        // 100 px over 50 columns: 2 px per column. A box over pixels 10..<20 is columns 5...9.
        let layout = PreviewLayout(frameWidth: 100, frameHeight: 100, areaColumns: 50, areaRows: 25)
        let rect = try! XCTUnwrap(layout.cellRect(x: 10, y: 0, width: 10, height: 8))
        XCTAssertEqual(rect.left - layout.left, 5)
        XCTAssertEqual(rect.right - layout.left, 9)
        XCTAssertEqual(rect.bottom - layout.top, 1)
    }
}
