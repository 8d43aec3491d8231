import XCTest
import FrameIO
import RNNPoolEngine
@testable import TerminalUI

/// Whole screens: status bar, overlays, and terminals too small to use.
final class ScreenSnapshotTests: XCTestCase {
    private func screen(_ capabilities: TerminalCapabilities, overlay: Overlay = .none,
                        mode: PreviewMode = .ascii, status: StatusInfo = Fixtures.status(),
                        columns: Int, rows: Int) -> CellGrid {
        let state = ScreenState(frame: Fixtures.gradient(), faces: [FaceBox(x: 4, y: 4, w: 12, h: 12, score: 0.88)],
                                status: status, mode: mode, overlay: overlay, processRSSBytes: 23 * 1024 * 1024)
        return ScreenRenderer(capabilities: capabilities).render(state, columns: columns, rows: rows)
    }

    func testStatusBarAtFullWidth() {
        Snapshot.assert(screen(.full, columns: 120, rows: 12), named: "screen-status-wide")
    }

    func testStatusBarFlowsOntoSecondRowWhenNarrow() {
        Snapshot.assert(screen(.full, columns: 60, rows: 12), named: "screen-status-narrow")
    }

    func testNoModelAndDetectorErrorAreShown() {
        var noModel = Fixtures.status()
        noModel.detector = .absent
        noModel.memory = nil
        noModel.ramCapBytes = 256 * 1024
        Snapshot.assert(screen(.plainASCII, status: noModel, columns: 60, rows: 10), named: "screen-no-model",
                        colours: true)
        var failed = Fixtures.status()
        failed.detector = .failed("arena overflow in conv1: needs 40960 bytes, 16384 available, 24576 missing")
        failed.paused = true
        failed.recordingFrames = 42
        Snapshot.assert(screen(.full, status: failed, columns: 80, rows: 10), named: "screen-detector-error")
    }

    func testMemoryOverlay() {
        Snapshot.assert(screen(.full, overlay: .memory, columns: 80, rows: 24), named: "overlay-memory-unicode")
        Snapshot.assert(screen(.plainASCII, overlay: .memory, columns: 80, rows: 24), named: "overlay-memory-ascii")
    }

    func testMemoryOverlayDropsLayersThatDoNotFit() {
        Snapshot.assert(screen(.full, overlay: .memory, columns: 60, rows: 16), named: "overlay-memory-short")
    }

    func testMemoryOverlayWithoutModel() {
        var noModel = Fixtures.status()
        noModel.detector = .absent
        noModel.memory = nil
        Snapshot.assert(screen(.full, overlay: .memory, status: noModel, columns: 60, rows: 12),
                        named: "overlay-memory-no-model")
    }

    func testHelpOverlay() {
        Snapshot.assert(screen(.full, overlay: .help, columns: 70, rows: 14), named: "overlay-help")
    }

    func testTooSmallTerminalsGetAMessage() {
        Snapshot.assert(screen(.full, columns: 39, rows: 10), named: "too-small-narrow")
        Snapshot.assert(screen(.full, columns: 60, rows: 9), named: "too-small-short")
        Snapshot.assert(screen(.full, columns: 12, rows: 4), named: "too-small-tiny")
        // Degenerate sizes a resize can produce must not crash.
        for (columns, rows) in [(0, 0), (1, 1), (40, 0), (0, 10)] {
            let grid = screen(.full, columns: columns, rows: rows)
            XCTAssertEqual(grid.cells.count, columns * rows)
        }
    }

    func testHalfBlockScreenRendersAsASCIIWhereUnsupported() {
        let grid = screen(.plainASCII, mode: .halfBlock, columns: 40, rows: 10)
        XCTAssertFalse(grid.textRows.joined().contains("▀"))
        let preview = grid.cells.prefix(8 * grid.width)
        XCTAssertTrue(preview.allSatisfy { $0.character.isASCII }, "ASCII only")
        XCTAssertTrue(preview.contains { $0.reverse && $0.character == " " },
                      "the white square shows as the terminal's ink (reverse video)")
    }
}
