import CChafa
import Foundation
import FrameIO

/// Draws the frame into the preview cells through libchafa: its canvas picks each
/// cell's symbol and colours (the work the `chafa` tool does), and we read every cell
/// back into our grid, which ncurses paints and face boxes are drawn over.
///
/// Keeps one canvas per geometry and mode, and the cells of the last frame it drew, so
/// a redraw for a status change does not run chafa again. A class with a lock because
/// the renderer is shared; only the main thread draws in practice.
final class ChafaPreview: @unchecked Sendable {
    private let lock = NSLock()
    private var canvas: (key: CanvasKey, pointer: OpaquePointer)?
    private var last: (key: CanvasKey, luma: [UInt8], width: Int, cells: [Cell])?
    private var rgb: [UInt8] = []

    private struct CanvasKey: Hashable {
        var settings: ChafaCanvasSettings
        var columns: Int
        var rows: Int
    }

    deinit {
        if let canvas { chafa_canvas_unref(canvas.pointer) }
    }

    func draw(_ frame: Frame, layout: PreviewLayout, settings: ChafaCanvasSettings,
              into grid: inout CellGrid) {
        guard layout.columns > 0, layout.rows > 0, frame.width > 0, frame.height > 0 else { return }
        let key = CanvasKey(settings: settings, columns: layout.columns, rows: layout.rows)
        let cells = lock.withLock { () -> [Cell] in
            if let last, last.key == key, last.width == frame.width, last.luma == frame.luma {
                return last.cells
            }
            let cells = render(frame, key: key)
            last = (key, frame.luma, frame.width, cells)
            return cells
        }
        for row in 0..<layout.rows {
            let y = layout.top + row
            guard y >= 0, y < grid.height else { continue }
            for column in 0..<layout.columns {
                let x = layout.left + column
                guard x >= 0, x < grid.width else { continue }
                grid[x, y] = cells[row * layout.columns + column]
            }
        }
    }

    /// Runs chafa on the frame; called with the lock held.
    private func render(_ frame: Frame, key: CanvasKey) -> [Cell] {
        let pointer: OpaquePointer
        if let canvas, canvas.key == key {
            pointer = canvas.pointer
        } else {
            if let canvas { chafa_canvas_unref(canvas.pointer) }
            let config = key.settings.makeConfig(columns: key.columns, rows: key.rows)
            pointer = chafa_canvas_new(config)!
            chafa_canvas_config_unref(config)
            canvas = (key, pointer)
        }
        // chafa takes RGB; the preview shows the luma plane the detector sees.
        let pixels = frame.width * frame.height
        if rgb.count != pixels * 3 { rgb = [UInt8](repeating: 0, count: pixels * 3) }
        frame.luma.withUnsafeBufferPointer { luma in
            rgb.withUnsafeMutableBufferPointer { out in
                for i in 0..<pixels {
                    let v = luma[i]
                    out[3 &* i] = v
                    out[3 &* i &+ 1] = v
                    out[3 &* i &+ 2] = v
                }
            }
        }
        rgb.withUnsafeBufferPointer {
            chafa_canvas_draw_all_pixels(pointer, CHAFA_PIXEL_RGB8, $0.baseAddress, gint(frame.width),
                                         gint(frame.height), gint(frame.width * 3))
        }
        return Self.readCells(pointer, columns: key.columns, rows: key.rows, colors: key.settings.colors)
    }

    /// Every cell of a drawn canvas as our `Cell`: the symbol, and the colours as
    /// the canvas mode has them (palette indices, 24-bit RGB, or the terminal's own
    /// ink and paper with reverse video where chafa inverted them).
    static func readCells(_ canvas: OpaquePointer, columns: Int, rows: Int,
                          colors: TerminalCapabilities.Colors) -> [Cell] {
        var cells: [Cell] = []
        cells.reserveCapacity(columns * rows)
        var fg: gint = 0, bg: gint = 0
        for y in 0..<rows {
            for x in 0..<columns {
                let code = chafa_canvas_get_char_at(canvas, gint(x), gint(y))
                let character = Unicode.Scalar(code).map(Character.init) ?? " "
                chafa_canvas_get_raw_colors_at(canvas, gint(x), gint(y), &fg, &bg)
                switch colors {
                case .none:
                    cells.append(colourless(character, fg: fg, bg: bg))
                case .direct:
                    cells.append(Cell(character, foreground: .rgb(UInt32(truncatingIfNeeded: fg) & 0xffffff),
                                      background: .rgb(UInt32(truncatingIfNeeded: bg) & 0xffffff)))
                case .basic, .sixteen, .palette256:
                    cells.append(Cell(character, foreground: palette(fg), background: palette(bg)))
                }
            }
        }
        return cells
    }

    /// A cell of an ink-and-paper canvas: chafa reports ink as 0 and paper as -1 for
    /// each of the cell's two colours. (0, -1) is the symbol in ink on paper, (-1, 0)
    /// inverted (reverse video); a featureless cell has both alike, and all ink, (0, 0),
    /// must show as ink: a reversed space (read as a plain space it turned every bright
    /// area of a NO_COLOR picture black).
    static func colourless(_ character: Character, fg: gint, bg: gint) -> Cell {
        switch (fg >= 0, bg >= 0) {
        case (true, true): return Cell(" ", reverse: true)
        case (false, false): return Cell(" ")
        case (false, true): return Cell(character, reverse: true)
        case (true, false): return Cell(character)
        }
    }

    private static func palette(_ raw: gint) -> CellColor? {
        (0...255).contains(raw) ? .palette(UInt8(raw)) : nil
    }
}
