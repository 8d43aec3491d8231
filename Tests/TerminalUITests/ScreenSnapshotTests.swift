import XCTest
import FrameIO
import LivePipeline
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

    func testMemoryOverlayPutsOursTheCapAndEveryBaselineOnOneScale() {
        let text = screen(.full, overlay: .memory, columns: 80, rows: 30).textRows.joined(separator: "\n")
        // Fixture: our last frame peaked at 180 KiB; baselines 1350 and 2250 KiB.
        XCTAssertTrue(text.contains("ours (RNNPool)"), text)
        XCTAssertTrue(text.contains("RAM cap"), text)
        XCTAssertTrue(text.contains("strided-conv CNN") && text.contains("7.5x"), text)
        XCTAssertTrue(text.contains("MobileNetV2-SSDLite") && text.contains("12.5x"), text)
        XCTAssertTrue(text.contains("RNNPool reads the image in small overlapping patches"), text)
        XCTAssertFalse(text.contains("current"), "no 'current' figure read between frames:\n\(text)")
        // One log scale, from 64 KiB (a power of two at or below half the smallest
        // figure): the bars' lengths are in proportion to log(bytes / 64 KiB), and the
        // cap is drawn across every bar where the cap's own bar ends.
        XCTAssertTrue(text.contains("log scale from 64.0 KiB"), text)
        /// A bar's length (the cap marker counted where it stands in the filled part:
        /// inside a longer bar, or as the last cell of the cap's own), width and marker.
        func bar(_ label: String) -> (filled: Int, width: Int, cap: Int?) {
            let row = text.split(separator: "\n").first { $0.contains(label) }.map(String.init) ?? ""
            let cells = Array(row.drop { !"█░┃".contains($0) }.prefix { "█░┃".contains($0) })
            let marker = cells.firstIndex(of: "┃")
            let inside = marker.map { $0 + 1 < cells.count && cells[$0 + 1] == "█" || label == "RAM cap" } ?? false
            return (cells.filter { $0 == "█" }.count + (inside ? 1 : 0), cells.count, marker)
        }
        let mobile = bar("MobileNetV2-SSDLite"), width = Double(mobile.width)
        XCTAssertGreaterThan(mobile.width, 20)
        XCTAssertEqual(mobile.filled, mobile.width, "the largest fills the bar")
        func expected(_ kib: Double) -> Double { width * log(kib / 64) / log(2250.0 / 64) }
        XCTAssertEqual(Double(bar("strided-conv CNN").filled), expected(1350), accuracy: 1)
        XCTAssertEqual(Double(bar("RAM cap").filled), expected(256), accuracy: 1)
        XCTAssertEqual(Double(bar("ours (RNNPool)").filled), expected(180), accuracy: 1)
        let cap = bar("RAM cap")
        for label in ["ours (RNNPool)", "strided-conv CNN", "MobileNetV2-SSDLite"] {
            XCTAssertEqual(bar(label).cap, cap.filled - 1, "the cap marker on \(label)'s bar")
        }
        XCTAssertTrue(text.contains("┃ the RAM cap"), "the marker is explained")
        XCTAssertTrue(text.contains("frame start") && text.contains("end of frame"), "the sparkline has an axis")
    }

    /// The note on 0 B layers wraps to the overlay's width rather than being cut.
    func testTheZeroByteLayerNoteIsWrappedWhole() {
        var m = Fixtures.memory
        m.layers.append(LayerMemory(name: "heads.0", peakBytes: 180 * 1024, ownBytes: 0))
        let lines = MemoryOverlay.lines(memory: m, processRSSBytes: nil, innerWidth: 40, capacity: 40,
                                        theme: Theme(.full))
        let text = lines.map { $0.map(\.text).joined() }
        let prose = text.filter { !$0.contains("█") && !$0.contains("░") && !$0.contains("▁") }
        XCTAssertTrue(prose.allSatisfy { $0.count <= 40 }, "explanations wrap: \(prose)")
        XCTAssertTrue(text.joined(separator: " ").contains("0 B: the layer reads its block's rows and needs no buffer of its own"),
                      "\(text)")
    }

    func testStatusBarLabelsTheRAMFigures() {
        XCTAssertTrue(StatusBar.measurementSegments(Fixtures.status()).contains("arena 188.0 of 256.0 KiB"))
    }

    /// --ram-cap too small: the frame failed, so its figures are partial. The status bar
    /// and the overlay say what a frame needs and show no ratio; the banner says which
    /// cap to use.
    func testTooSmallCapSaysWhatTheDetectorNeedsAndShowsNoRatio() {
        var status = Fixtures.status()
        let required = 234_112
        status.detector = .failed(RAMCapAdvice.tooSmall(capBytes: 100 * 1024, requiredBytes: required))
        status.requiredArenaBytes = required
        var partial = Fixtures.memory
        partial.capBytes = 100 * 1024
        partial.peakBytes = 92 * 1024
        partial.framePeakBytes = 92 * 1024
        status.memory = partial
        XCTAssertTrue(StatusBar.measurementSegments(status).contains("arena needs 228.6 KiB, cap 100.0 KiB"))
        let plain = screen(.full, status: status, columns: 100, rows: 12)
        XCTAssertTrue(plain.textRows.joined().contains("the detector needs 234,112 B; try --ram-cap 229K"))
        Snapshot.assert(plain, named: "screen-ram-too-small")
        let overlay = screen(.full, overlay: .memory, status: status, columns: 80, rows: 26)
        let text = overlay.textRows.joined(separator: "\n")
        XCTAssertTrue(text.contains("ours needs") && text.contains("228.6 KiB"), text)
        XCTAssertTrue(text.contains("the cap is too small: try --ram-cap 229K"), text)
        XCTAssertNil(text.range(of: #"[0-9]\.[0-9]x"#, options: .regularExpression), "no ratio from a failed frame:\n\(text)")
        XCTAssertFalse(text.contains("arena use through the last frame"), "no timeline of a failed frame")
        Snapshot.assert(overlay, named: "overlay-memory-too-small", colours: true)
    }

    func testALongMessageWrapsAboveTheStatusBarWhole() {
        var status = Fixtures.status()
        let path = "/home/someone/recordings/of/a/long/session/rnnpool-cam-20261129-221530-frame1234.pgm"
        status.notice = "saved \(path)"
        let grid = screen(.full, status: status, columns: 50, rows: 12)
        let rows = grid.textRows
        let banner = rows[..<(rows.count - 2)].suffix(3).joined().replacingOccurrences(of: " ", with: "")
        XCTAssertTrue(banner.contains(("saved " + path).replacingOccurrences(of: " ", with: "")),
                      "the whole message, wrapped:\n\(rows.joined(separator: "\n"))")
        Snapshot.assert(grid, named: "screen-notice-wrapped")
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
