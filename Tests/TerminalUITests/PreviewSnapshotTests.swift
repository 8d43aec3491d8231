import XCTest
import FrameIO
import RNNPoolEngine
@testable import TerminalUI

/// The picture and the boxes, drawn into small grids and compared with checked-in text.
final class PreviewSnapshotTests: XCTestCase {
    private func preview(_ frame: Frame, faces: [FaceBox] = [], mode: PreviewMode,
                         capabilities: TerminalCapabilities, columns: Int, rows: Int) -> CellGrid {
        var grid = CellGrid(width: columns, height: rows)
        let layout = PreviewLayout(frameWidth: frame.width, frameHeight: frame.height,
                                   areaColumns: columns, areaRows: rows)
        PreviewRenderer.draw(frame, layout: layout, mode: mode, into: &grid)
        FaceBoxRenderer.draw(faces, sourceWidth: frame.width, sourceHeight: frame.height,
                             layout: layout, theme: Theme(capabilities), into: &grid)
        return grid
    }

    func testASCIIRampShowsGradientAndSquare() {
        let grid = preview(Fixtures.gradient(), mode: .ascii, capabilities: .plainASCII, columns: 24, rows: 9)
        Snapshot.assert(grid, named: "ascii-gradient")
    }

    func testHalfBlockUsesUpperPixelAsForegroundAndLowerAsBackground() {
        let grid = preview(Fixtures.gradient(), mode: .halfBlock, capabilities: .full, columns: 16, rows: 6)
        Snapshot.assert(grid, named: "halfblock-gradient", colours: true)
    }

    func testHalfBlockCellStraddlingAnEdgeSplitsItsColours() {
        // 8x8 frame in 8 columns x 4 rows: row 1's upper half is black, lower half black;
        // rows 2-3 white. A 4-row split frame puts the black/white boundary between cells.
        let grid = preview(Fixtures.split(width: 8, height: 6), mode: .halfBlock, capabilities: .full,
                           columns: 8, rows: 3)
        XCTAssertEqual(grid[0, 0].character, "▀")
        XCTAssertEqual(grid[0, 0].foreground, 232)
        XCTAssertEqual(grid[0, 0].background, 232)
        XCTAssertEqual(grid[0, 1].foreground, 232, "upper half of the middle row is black")
        XCTAssertEqual(grid[0, 1].background, 255, "lower half of the middle row is white")
        XCTAssertEqual(grid[0, 2].foreground, 255)
    }

    func testBoxesAtTheFrameEdgesAreClippedToThePicture() {
        let frame = Fixtures.gradient(width: 40, height: 30)
        let faces = [
            FaceBox(x: -10, y: -8, w: 22, h: 18, score: 0.91),   // past the top-left corner
            FaceBox(x: 30, y: 20, w: 25, h: 25, score: 0.77),    // past the bottom-right corner
        ]
        let unicode = preview(frame, faces: faces, mode: .ascii,
                              capabilities: TerminalCapabilities(unicode: true, colors: .palette256),
                              columns: 30, rows: 12)
        Snapshot.assert(unicode, named: "boxes-edges-unicode", colours: true)
        let ascii = preview(frame, faces: faces, mode: .ascii, capabilities: .plainASCII, columns: 30, rows: 12)
        Snapshot.assert(ascii, named: "boxes-edges-ascii")
    }

    func testSmallBoxPutsItsScoreOutsideAndTinyBoxIsOneCell() {
        let frame = Fixtures.gradient(width: 40, height: 30)
        let faces = [
            FaceBox(x: 16, y: 14, w: 4, h: 6, score: 0.66),
            FaceBox(x: 2, y: 26, w: 0.5, h: 0.5, score: 0.51),
        ]
        let grid = preview(frame, faces: faces, mode: .ascii, capabilities: .full, columns: 30, rows: 12)
        Snapshot.assert(grid, named: "boxes-small")
    }
}
