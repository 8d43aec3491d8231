import CChafa
import XCTest
import FrameIO
@testable import TerminalUI

/// Every preview mode at every colour depth is held to the picture libchafa itself
/// makes of the same frame in the same cells: the mean absolute error (grey levels,
/// `PreviewFidelity`) of our cell grid must be no worse than that of chafa's canvas
/// read directly, set up as the `chafa` tool would be for that mode (e.g. `chafa -c 240
/// --symbols vhalf` for half-block on a 256-colour terminal). The frame is the first
/// of the bundled demo clip (a face), the geometry 60x22 cells.
final class PreviewFidelityTests: XCTestCase {
    static let columns = 60, rows = 22

    static let frame: Frame = {
        let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("assets/demo.y4m").path
        let reader = try! Y4MReader(path: demo, pacing: false)
        defer { reader.close() }
        return try! reader.nextFrame()!
    }()

    /// Our grid for the frame, through the same renderer the live UI uses.
    private func ours(_ mode: PreviewMode, _ caps: TerminalCapabilities) -> (CellGrid, PreviewLayout) {
        let frame = Self.frame
        let layout = PreviewLayout(frameWidth: frame.width, frameHeight: frame.height,
                                   areaColumns: Self.columns, areaRows: Self.rows)
        var grid = CellGrid(width: Self.columns, height: Self.rows)
        ChafaPreview().draw(frame, layout: layout, settings: Theme(caps).canvasSettings(mode), into: &grid)
        return (grid, layout)
    }

    /// chafa's own picture: a canvas configured here, independently of the renderer,
    /// read back as symbols and the RGB colours chafa says it meant.
    private func chafaReference(_ tags: ChafaSymbolTags, _ canvasMode: ChafaCanvasMode, layout: PreviewLayout,
                                ink: UInt32 = 0xffffff, paper: UInt32 = 0,
                                toolDefaults: Bool = false) -> CellGrid {
        let frame = Self.frame
        let config = chafa_canvas_config_new()!
        defer { chafa_canvas_config_unref(config) }
        chafa_canvas_config_set_geometry(config, gint(layout.columns), gint(layout.rows))
        chafa_canvas_config_set_canvas_mode(config, canvasMode)
        chafa_canvas_config_set_fg_color(config, ink)
        chafa_canvas_config_set_bg_color(config, paper)
        let symbols = chafa_symbol_map_new()!
        chafa_symbol_map_add_by_tags(symbols, tags)
        chafa_symbol_map_remove_by_tags(symbols, CHAFA_SYMBOL_TAG_WIDE)
        chafa_canvas_config_set_symbol_map(config, symbols)
        chafa_symbol_map_unref(symbols)
        if toolDefaults {
            // What the chafa tool sets that the canvas's own defaults do not: preprocessing
            // on at 16 colours or fewer, and its default work level 5 of 1-9.
            chafa_canvas_config_set_preprocessing_enabled(config, 1)
            chafa_canvas_config_set_work_factor(config, Float(5 - 1) / 8)
        }
        let canvas = chafa_canvas_new(config)!
        defer { chafa_canvas_unref(canvas) }
        let rgb = frame.luma.flatMap { [$0, $0, $0] }
        rgb.withUnsafeBufferPointer {
            chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGB8, $0.baseAddress, gint(frame.width),
                                         gint(frame.height), gint(frame.width * 3))
        }
        var grid = CellGrid(width: Self.columns, height: Self.rows)
        var fg: gint = 0, bg: gint = 0, rawFg: gint = 0, rawBg: gint = 0
        for y in 0..<layout.rows {
            for x in 0..<layout.columns {
                let character = Character(Unicode.Scalar(chafa_canvas_get_char_at(canvas, gint(x), gint(y)))!)
                chafa_canvas_get_colors_at(canvas, gint(x), gint(y), &fg, &bg)
                chafa_canvas_get_raw_colors_at(canvas, gint(x), gint(y), &rawFg, &rawBg)
                let colourless = canvasMode == CHAFA_CANVAS_MODE_FGBG_BGFG || canvasMode == CHAFA_CANVAS_MODE_FGBG
                grid[layout.left + x, layout.top + y] = colourless
                    // FGBG (the chafa tool's --colors none) has no reverse video: inverted
                    // symbols carry the shapes instead.
                    ? (canvasMode == CHAFA_CANVAS_MODE_FGBG || rawFg != rawBg
                        ? Cell(character, reverse: canvasMode == CHAFA_CANVAS_MODE_FGBG_BGFG && rawFg < 0)
                        : Cell(" ", reverse: rawFg >= 0))   // featureless: all ink (0, 0) or all paper
                    : Cell(character, foreground: .rgb(UInt32(truncatingIfNeeded: fg) & 0xffffff),
                           background: .rgb(UInt32(truncatingIfNeeded: bg) & 0xffffff))
            }
        }
        return grid
    }

    private func assertNoWorseThanChafa(_ mode: PreviewMode, _ caps: TerminalCapabilities,
                                        _ tags: ChafaSymbolTags, _ canvasMode: ChafaCanvasMode,
                                        snapshot: String? = nil, file: StaticString = #filePath, line: UInt = #line) -> Double {
        let (grid, layout) = ours(mode, caps)
        let light = caps.lightBackground
        let (ink, paper) = light ? (0, 255) : (255, 0)
        let error = PreviewFidelity.meanAbsoluteError(grid, layout: layout, frame: Self.frame, ink: ink, paper: paper)
        let reference = chafaReference(tags, canvasMode, layout: layout,
                                       ink: light ? 0 : 0xffffff, paper: light ? 0xffffff : 0)
        let chafaError = PreviewFidelity.meanAbsoluteError(reference, layout: layout, frame: Self.frame,
                                                           ink: ink, paper: paper)
        XCTAssertLessThanOrEqual(error, chafaError + 0.05,
                                 "\(mode) at \(caps.colors): ours \(error), chafa's \(chafaError)", file: file, line: line)
        if let snapshot { Snapshot.assert(grid, named: snapshot, colours: true, file: file, line: line) }
        if ProcessInfo.processInfo.environment["PRINT_FIDELITY"] == "1" {
            let old = oldRenderers(layout: layout)
            func blurred(_ g: CellGrid) -> Double {
                PreviewFidelity.meanAbsoluteError(g, layout: layout, frame: Self.frame, ink: ink, paper: paper, blur: 4)
            }
            print(String(format: "fidelity %@ %@%@: ours %.2f, chafa %.2f; blurred 4x4: ours %.2f, chafa %.2f, old half-block %.2f old ramp %.2f",
                         mode.displayName, "\(caps.colors)", light ? " light" : "", error, chafaError,
                         blurred(grid), blurred(reference), blurred(old.halfBlock), blurred(old.ramp)))
            print(String(format: "fidelity old: half-block %.2f ramp %.2f",
                         PreviewFidelity.meanAbsoluteError(old.halfBlock, layout: layout, frame: Self.frame),
                         PreviewFidelity.meanAbsoluteError(old.ramp, layout: layout, frame: Self.frame, ink: ink, paper: paper)))
        }
        return error
    }

    private let block = ChafaSymbolTags(rawValue: CHAFA_SYMBOL_TAG_BLOCK.rawValue | CHAFA_SYMBOL_TAG_SPACE.rawValue)
    private let vhalf = ChafaSymbolTags(rawValue: CHAFA_SYMBOL_TAG_VHALF.rawValue | CHAFA_SYMBOL_TAG_SPACE.rawValue)

    func testSymbolsModeMatchesChafaAtEveryColourDepth() {
        let direct = assertNoWorseThanChafa(.symbols, TerminalCapabilities(unicode: true, colors: .direct),
                                            block, CHAFA_CANVAS_MODE_TRUECOLOR, snapshot: "preview-symbols-direct")
        let indexed = assertNoWorseThanChafa(.symbols, .full, block, CHAFA_CANVAS_MODE_INDEXED_240,
                                             snapshot: "preview-symbols-256")
        let sixteen = assertNoWorseThanChafa(.symbols, TerminalCapabilities(unicode: true, colors: .sixteen),
                                             block, CHAFA_CANVAS_MODE_INDEXED_16)
        XCTAssertLessThan(direct, indexed + 0.5, "direct colour is at least as close as the palette")
        XCTAssertLessThan(indexed, sixteen, "256 colours beat 16")
    }

    /// The renderers this replaced, rebuilt here to measure them the same way: `▀`
    /// over the 24 greys 232-255 with each half the mean of its pixels, and a 10-step
    /// ASCII ramp in the terminal's own colours.
    private func oldRenderers(layout: PreviewLayout) -> (halfBlock: CellGrid, ramp: CellGrid) {
        let frame = Self.frame
        let halves = PreviewFidelity.resample(frame, width: layout.columns, height: layout.rows * 2)
        let cells = PreviewFidelity.resample(frame, width: layout.columns, height: layout.rows)
        var halfBlock = CellGrid(width: Self.columns, height: Self.rows)
        var ramp = CellGrid(width: Self.columns, height: Self.rows)
        let characters = Array(" .:-=+*#%@")
        for y in 0..<layout.rows {
            for x in 0..<layout.columns {
                let upper = Int(halves[2 * y * layout.columns + x]), lower = Int(halves[(2 * y + 1) * layout.columns + x])
                halfBlock[layout.left + x, layout.top + y] = Cell("▀", foreground: .palette(UInt8(232 + upper * 24 / 256)),
                                                                  background: .palette(UInt8(232 + lower * 24 / 256)))
                ramp[layout.left + x, layout.top + y] = Cell(characters[Int(cells[y * layout.columns + x]) * 10 / 256])
            }
        }
        return (halfBlock, ramp)
    }

    func testHalfBlockMatchesChafaAndBeatsTheOldGreyRamp() {
        let error = assertNoWorseThanChafa(.halfBlock, .full, vhalf, CHAFA_CANVAS_MODE_INDEXED_240,
                                           snapshot: "preview-halfblock-256")
        let (_, layout) = ours(.halfBlock, .full)
        let old = PreviewFidelity.meanAbsoluteError(oldRenderers(layout: layout).halfBlock, layout: layout, frame: Self.frame)
        XCTAssertLessThan(error, old - 1, "closer to the source than the 24-grey half-block it replaced (\(old))")
        _ = assertNoWorseThanChafa(.halfBlock, TerminalCapabilities(unicode: true, colors: .direct),
                                   vhalf, CHAFA_CANVAS_MODE_TRUECOLOR)
    }

    func testASCIIWithColoursCarriesGreyLevels() {
        let error = assertNoWorseThanChafa(.ascii, TerminalCapabilities(unicode: false, colors: .palette256),
                                           CHAFA_SYMBOL_TAG_ASCII, CHAFA_CANVAS_MODE_INDEXED_240,
                                           snapshot: "preview-ascii-256")
        let (grid, _) = ours(.ascii, TerminalCapabilities(unicode: false, colors: .palette256))
        XCTAssertTrue(grid.cells.allSatisfy { $0.character.isASCII }, "only ASCII characters")
        XCTAssertGreaterThan(Set(grid.cells.compactMap(\.background)).count, 8, "cells carry many grey levels")
        let colourless = assertNoWorseThanChafa(.ascii, .plainASCII, CHAFA_SYMBOL_TAG_ASCII,
                                                CHAFA_CANVAS_MODE_FGBG_BGFG, snapshot: "preview-ascii-nocolour")
        XCTAssertLessThan(error, colourless, "colours make ASCII closer to the picture")
        let (_, layout) = ours(.ascii, .plainASCII)
        let old = PreviewFidelity.meanAbsoluteError(oldRenderers(layout: layout).ramp, layout: layout, frame: Self.frame)
        XCTAssertLessThan(error, old / 3, "coloured ASCII is far closer than the old ramp in default colours (\(old))")
    }

    func testColourlessPictureIsNotANegativeOnALightTerminal() {
        let light = TerminalCapabilities(unicode: false, colors: .none, lightBackground: true)
        let error = assertNoWorseThanChafa(.ascii, light, CHAFA_SYMBOL_TAG_ASCII, CHAFA_CANVAS_MODE_FGBG_BGFG)
        // The dark-terminal picture shown on light paper is what the old UI did.
        let (darkGrid, layout) = ours(.ascii, .plainASCII)
        let negative = PreviewFidelity.meanAbsoluteError(darkGrid, layout: layout, frame: Self.frame, ink: 0, paper: 255)
        XCTAssertLessThan(error, negative - 10, "light terminals get their own picture, not a negative")
    }

    /// NO_COLOR on a UTF-8 terminal: the symbol picture, held to what `chafa --colors none`
    /// prints for the same frame in the same cells (its FGBG mode, its default symbols
    /// block+border+space with inverted ones, preprocessing on, work level 5), point by
    /// point, as the eye takes it in (4x4 means) and cell by cell. It measured 68.6 / 62.8
    /// / 53.8 against chafa's 68.9 / 65.0 / 54.0; before, all-ink cells read back as paper
    /// turned the bright areas black (90.0 / 88.7 / 26.0 with the dithering then used).
    func testColourlessSymbolsNoWorseThanChafaToolWithoutColours() {
        let caps = TerminalCapabilities(unicode: true, colors: .none)
        XCTAssertEqual(caps.previewModes.first, .symbols, "NO_COLOR with UTF-8 starts on the symbol picture")
        let (grid, layout) = ours(.symbols, caps)
        let tool = ChafaSymbolTags(rawValue: CHAFA_SYMBOL_TAG_BLOCK.rawValue | CHAFA_SYMBOL_TAG_BORDER.rawValue
                                   | CHAFA_SYMBOL_TAG_SPACE.rawValue)
        let reference = chafaReference(tool, CHAFA_CANVAS_MODE_FGBG, layout: layout, toolDefaults: true)
        for blur in [1, 4, 8] {
            let error = PreviewFidelity.meanAbsoluteError(grid, layout: layout, frame: Self.frame, blur: blur)
            let chafa = PreviewFidelity.meanAbsoluteError(reference, layout: layout, frame: Self.frame, blur: blur)
            XCTAssertLessThanOrEqual(error, chafa + 0.05, "blur \(blur): ours \(error), chafa --colors none \(chafa)")
        }
    }

    func testSymbolsWithoutColourUseReverseVideoAndBlocks() {
        let caps = TerminalCapabilities(unicode: true, colors: .none)
        _ = assertNoWorseThanChafa(.symbols, caps, block, CHAFA_CANVAS_MODE_FGBG_BGFG)
        let (grid, _) = ours(.symbols, caps)
        XCTAssertTrue(grid.cells.allSatisfy { $0.foreground == nil && $0.background == nil }, "no colours at all")
    }
}
