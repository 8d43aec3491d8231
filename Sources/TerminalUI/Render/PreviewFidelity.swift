import FrameIO

/// How close a preview is to its source: the mean absolute difference, in grey levels
/// (0-255), between the source frame and what the terminal shows, both at 8x8 samples
/// per cell (the resolution libchafa works at). A cell shows its foreground grey
/// where its symbol's glyph has ink and its background grey elsewhere; cells without
/// colours show the terminal's ink and paper (swapped in reverse video).
///
/// `PreviewFidelityTests` holds every preview mode to the figure libchafa itself reaches
/// in the same geometry.
public enum PreviewFidelity {
    /// `blur` (1, 2, 4 or 8) compares means of `blur` x `blur` samples instead of single
    /// samples: 4 is roughly what an eye takes in at reading distance, where a
    /// pattern of ink and paper reads as a shade.
    public static func meanAbsoluteError(_ grid: CellGrid, layout: PreviewLayout, frame: Frame,
                                         ink: Int = 255, paper: Int = 0, blur: Int = 1) -> Double {
        let columns = layout.columns, rows = layout.rows
        guard columns > 0, rows > 0, [1, 2, 4, 8].contains(blur) else { return 0 }
        let width = columns * 8, height = rows * 8
        let source = resample(frame, width: width, height: height)
        var shown = [Int](repeating: 0, count: width * height)
        for row in 0..<rows {
            for column in 0..<columns {
                let cell = grid[layout.left + column, layout.top + row]
                var fg = cell.foreground?.grey ?? ink
                var bg = cell.background?.grey ?? paper
                if cell.reverse { swap(&fg, &bg) }
                let mask = ChafaGlyphMasks.mask(for: cell.character)
                for y in 0..<8 {
                    let base = (row * 8 + y) * width + column * 8
                    for x in 0..<8 { shown[base + x] = mask & (1 << UInt64(y * 8 + x)) != 0 ? fg : bg }
                }
            }
        }
        var total = 0
        for by in stride(from: 0, to: height, by: blur) {
            for bx in stride(from: 0, to: width, by: blur) {
                var a = 0, b = 0
                for y in by..<(by + blur) {
                    for x in bx..<(bx + blur) {
                        a += shown[y * width + x]
                        b += Int(source[y * width + x])
                    }
                }
                total += abs(a - b)
            }
        }
        return Double(total) / Double(width * height)
    }

    /// The frame's luma averaged down (or repeated up) to `width` x `height`.
    static func resample(_ frame: Frame, width: Int, height: Int) -> [UInt8] {
        func spans(_ count: Int, _ pixels: Int) -> [(Int, Int)] {
            (0..<count).map { i in
                let start = min(pixels - 1, i * pixels / count)
                return (start, min(pixels, max(start + 1, (i + 1) * pixels / count)))
            }
        }
        let xs = spans(width, frame.width), ys = spans(height, frame.height)
        var out = [UInt8](repeating: 0, count: width * height)
        for (r, (y0, y1)) in ys.enumerated() {
            for (c, (x0, x1)) in xs.enumerated() {
                var sum = 0
                for y in y0..<y1 { for x in x0..<x1 { sum += Int(frame.luma[y * frame.width + x]) } }
                out[r * width + c] = UInt8(sum / ((y1 - y0) * (x1 - x0)))
            }
        }
        return out
    }
}
