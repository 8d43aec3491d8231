import FrameIO

/// Draws a frame's luma into the preview cells of a grid. Each cell (or, in
/// half-block mode, each half cell) shows the average of the pixels it covers, so
/// downscaled pictures do not shimmer the way nearest-neighbour sampling does.
enum PreviewRenderer {
    /// Dark to bright; dark pixels print as blanks on the usual dark background.
    static let asciiRamp: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]
    /// First index of the xterm-256 grey ramp (232 = darkest, 255 = brightest).
    static let greyBase: UInt8 = 232
    static let greySteps = 24

    static func draw(_ frame: Frame, layout: PreviewLayout, mode: PreviewMode,
                     into grid: inout CellGrid) {
        guard layout.columns > 0, layout.rows > 0 else { return }
        let sampleRows = mode == .halfBlock ? layout.rows * 2 : layout.rows
        let xSpans = spans(count: layout.columns, over: frame.width)
        let ySpans = spans(count: sampleRows, over: frame.height)
        var levels = [UInt8](repeating: 0, count: layout.columns * sampleRows)
        frame.luma.withUnsafeBufferPointer { luma in
            levels.withUnsafeMutableBufferPointer { out in
                average(luma: luma, stride: frame.width, xSpans: xSpans, ySpans: ySpans, into: out)
            }
        }
        let gridWidth = grid.width
        grid.cells.withUnsafeMutableBufferPointer { cells in
            for row in 0..<layout.rows {
                let y = layout.top + row
                guard y >= 0, y < grid.height else { continue }
                for column in 0..<layout.columns {
                    let x = layout.left + column
                    guard x >= 0, x < gridWidth else { continue }
                    let index = y &* gridWidth &+ x
                    switch mode {
                    case .ascii:
                        let level = Int(levels[row &* layout.columns &+ column])
                        cells[index] = Cell(asciiRamp[(level &* asciiRamp.count) >> 8])
                    case .halfBlock:
                        let upper = levels[(2 &* row) &* layout.columns &+ column]
                        let lower = levels[(2 &* row &+ 1) &* layout.columns &+ column]
                        cells[index] = Cell("▀", foreground: grey(upper), background: grey(lower))
                    }
                }
            }
        }
    }

    /// The palette index of the grey step nearest to an 8-bit level.
    @inline(__always)
    static func grey(_ level: UInt8) -> UInt8 {
        greyBase &+ UInt8((Int(level) &* greySteps) >> 8)
    }

    /// Splits `pixels` into `count` contiguous, non-empty (when upscaling: repeated)
    /// ranges, as flat (start, end) pairs.
    static func spans(count: Int, over pixels: Int) -> [Int] {
        var result = [Int](repeating: 0, count: count * 2)
        for i in 0..<count {
            let start = min(pixels - 1, i * pixels / count)
            let end = max(start + 1, (i + 1) * pixels / count)
            result[2 * i] = start
            result[2 * i + 1] = min(end, pixels)
        }
        return result
    }

    private static func average(luma: UnsafeBufferPointer<UInt8>, stride: Int,
                                xSpans: [Int], ySpans: [Int], into out: UnsafeMutableBufferPointer<UInt8>) {
        let columns = xSpans.count / 2, rows = ySpans.count / 2
        xSpans.withUnsafeBufferPointer { xs in
            ySpans.withUnsafeBufferPointer { ys in
                for r in 0..<rows {
                    let y0 = ys[2 &* r], y1 = ys[2 &* r &+ 1]
                    for c in 0..<columns {
                        let x0 = xs[2 &* c], x1 = xs[2 &* c &+ 1]
                        var sum = 0
                        for y in y0..<y1 {
                            let base = y &* stride
                            for x in x0..<x1 { sum &+= Int(luma[base &+ x]) }
                        }
                        out[r &* columns &+ c] = UInt8(sum / ((y1 &- y0) &* (x1 &- x0)))
                    }
                }
            }
        }
    }
}
