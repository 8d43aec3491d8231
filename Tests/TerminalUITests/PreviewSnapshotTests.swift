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
        ChafaPreview().draw(frame, layout: layout, settings: Theme(capabilities).canvasSettings(mode), into: &grid)
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
        let grid = preview(Fixtures.split(width: 32, height: 24), mode: .halfBlock, capabilities: .full,
                           columns: 8, rows: 3)
        func shown(_ x: Int, _ y: Int) -> (upper: Int, lower: Int) {
            let cell = grid[x, y]
            let fg = cell.foreground?.grey ?? 255, bg = cell.background?.grey ?? 0
            switch cell.character {
            case "▀": return (fg, bg)
            case "▄": return (bg, fg)
            default: return (bg, bg)
            }
        }
        XCTAssertEqual(shown(0, 0).upper, 0)
        XCTAssertEqual(shown(0, 0).lower, 0)
        XCTAssertEqual(shown(0, 1).upper, 0, "upper half of the middle row is black")
        XCTAssertEqual(shown(0, 1).lower, 255, "lower half of the middle row is white, full white")
        XCTAssertEqual(shown(0, 2).upper, 255)
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

/// Tracked faces: ids in the labels, labels that never overwrite each other, colours
/// that follow the score.
final class TrackedBoxSnapshotTests: XCTestCase {
    private func draw(_ faces: [FaceBox], capabilities: TerminalCapabilities = .full) -> CellGrid {
        let frame = Fixtures.gradient(width: 80, height: 60)
        var grid = CellGrid(width: 40, height: 15)
        let layout = PreviewLayout(frameWidth: 80, frameHeight: 60, areaColumns: 40, areaRows: 15)
        FaceBoxRenderer.draw(faces, sourceWidth: frame.width, sourceHeight: frame.height,
                             layout: layout, theme: Theme(capabilities), into: &grid)
        return grid
    }

    func testOverlappingBoxesKeepEveryLabelWholeWithItsId() {
        // Three faces whose top edges share a row and overlap: the old renderer printed
        // "0.│3" where one box's line crossed another's label.
        let faces = [FaceBox(x: 10, y: 10, w: 30, h: 30, score: 0.93, id: 1),
                     FaceBox(x: 24, y: 10, w: 30, h: 30, score: 0.71, id: 2),
                     FaceBox(x: 34, y: 14, w: 24, h: 24, score: 0.52, id: 7)]
        let grid = draw(faces)
        let text = grid.textRows.joined(separator: "\n")
        for label in ["#1 0.93", "#2 0.71", "#7 0.52"] {
            XCTAssertTrue(text.contains(label), "\(label) is whole:\n\(text)")
        }
        Snapshot.assert(grid, named: "boxes-tracked-overlap", colours: true)
    }

    func testColourFollowsTheScore() {
        let faces = [FaceBox(x: 2, y: 2, w: 20, h: 20, score: 0.95, id: 1),
                     FaceBox(x: 30, y: 2, w: 20, h: 20, score: 0.65, id: 2),
                     FaceBox(x: 56, y: 2, w: 20, h: 20, score: 0.45, id: 3)]
        let grid = draw(faces)
        func colour(ofLabel label: String) -> CellColor? {
            for y in 0..<grid.height {
                if let range = grid.textRows[y].range(of: label) {
                    return grid[grid.textRows[y].distance(from: grid.textRows[y].startIndex, to: range.lowerBound), y].foreground
                }
            }
            return nil
        }
        XCTAssertEqual(colour(ofLabel: "#1 0.95"), 46, "sure: green")
        XCTAssertEqual(colour(ofLabel: "#2 0.65"), 226, "middling: yellow")
        XCTAssertEqual(colour(ofLabel: "#3 0.45"), 208, "weak: orange")
        let plain = draw(faces, capabilities: .plainASCII)
        XCTAssertTrue(plain.cells.allSatisfy { $0.foreground == nil }, "no colours where the terminal has none")
    }

    func testALabelWithNoFreeSpotIsShortenedOrLeftOut() {
        // Two identical boxes: the second label cannot share the first's spots.
        let faces = [FaceBox(x: 10, y: 10, w: 30, h: 30, score: 0.9, id: 1),
                     FaceBox(x: 10, y: 10, w: 30, h: 30, score: 0.8, id: 2)]
        let text = draw(faces).textRows.joined(separator: "\n")
        XCTAssertTrue(text.contains("#1 0.90"))
        XCTAssertTrue(text.contains("#2 0.80"), "the second label found another spot:\n\(text)")
    }
}

/// Details the snapshots show less directly.
final class PreviewDetailTests: XCTestCase {
    func testBoxOverHalfBlockKeepsThePictureBehindTheLine() {
        let frame = Fixtures.split(width: 32, height: 24)
        var grid = CellGrid(width: 8, height: 3)
        let layout = PreviewLayout(frameWidth: 32, frameHeight: 24, areaColumns: 8, areaRows: 3)
        ChafaPreview().draw(frame, layout: layout, settings: Theme(.full).canvasSettings(.halfBlock), into: &grid)
        FaceBoxRenderer.draw([FaceBox(x: 0, y: 0, w: 32, h: 24, score: 0.5)], sourceWidth: 32, sourceHeight: 24,
                             layout: layout, theme: Theme(.full), into: &grid)
        XCTAssertEqual(grid[0, 1].character, "│")
        XCTAssertEqual(grid[0, 1].foreground, 208, "a 0.5 face's box is orange")
        var picture = CellGrid(width: 8, height: 3)
        ChafaPreview().draw(frame, layout: layout, settings: Theme(.full).canvasSettings(.halfBlock), into: &picture)
        XCTAssertNotNil(grid[0, 1].background)
        XCTAssertTrue([picture[0, 1].foreground, picture[0, 1].background].contains(grid[0, 1].background),
                      "one of the picture's colours stays visible behind the line")
        XCTAssertEqual(grid[3, 1].character, "▄", "inside the box the picture is untouched")
    }

    func testBoxesFromAnEarlierFrameSizeAreRescaled() {
        // Detected on a 160x120 frame, shown on a 320x240 one: same place on screen.
        let layout = PreviewLayout(frameWidth: 320, frameHeight: 240, areaColumns: 40, areaRows: 15)
        var direct = CellGrid(width: 40, height: 15)
        var rescaled = CellGrid(width: 40, height: 15)
        FaceBoxRenderer.draw([FaceBox(x: 80, y: 60, w: 100, h: 80, score: 0.9)], sourceWidth: 320, sourceHeight: 240,
                             layout: layout, theme: Theme(.plainASCII), into: &direct)
        FaceBoxRenderer.draw([FaceBox(x: 40, y: 30, w: 50, h: 40, score: 0.9)], sourceWidth: 160, sourceHeight: 120,
                             layout: layout, theme: Theme(.plainASCII), into: &rescaled)
        XCTAssertEqual(direct, rescaled)
        XCTAssertTrue(direct.textRows.joined().contains("+0.90"), "the box was drawn at all")
    }

    func testStatusDoesNotRepeatASizeTheSourceLabelAlreadyNames() {
        var status = Fixtures.status(width: 320, height: 240)
        status.source = "demo.y4m 320x240 mono"
        XCTAssertEqual(StatusBar.measurementSegments(status).first, "demo.y4m 320x240 mono")
        status.source = "demo.y4m"
        XCTAssertEqual(StatusBar.measurementSegments(status).first, "demo.y4m 320x240")
    }
}
