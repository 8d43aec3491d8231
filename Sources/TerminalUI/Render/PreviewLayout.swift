/// Where a frame lands on screen: the largest rectangle of cells inside the preview
/// area that keeps the frame's aspect ratio, given that a terminal cell is about twice
/// as tall as it is wide, centred. Pixels and face boxes map to cells through the same
/// numbers, so boxes sit exactly on the picture.
public struct PreviewLayout: Sendable, Equatable {
    public let frameWidth: Int
    public let frameHeight: Int
    /// The picture's cells on screen.
    public let left: Int
    public let top: Int
    public let columns: Int
    public let rows: Int

    /// Fits a `frameWidth` x `frameHeight` frame into the cells
    /// (`areaLeft`, `areaTop`, `areaColumns` x `areaRows`).
    public init(frameWidth: Int, frameHeight: Int, areaLeft: Int = 0, areaTop: Int = 0,
                areaColumns: Int, areaRows: Int) {
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        let fw = Double(max(1, frameWidth)), fh = Double(max(1, frameHeight))
        // Scale in cell widths per pixel; a cell is two cell widths tall.
        let scale = min(Double(max(0, areaColumns)) / fw, 2 * Double(max(0, areaRows)) / fh)
        let columns = min(areaColumns, max(1, Int((fw * scale).rounded())))
        let rows = min(areaRows, max(1, Int((fh * scale / 2).rounded())))
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        self.left = areaLeft + (areaColumns - self.columns) / 2
        self.top = areaTop + (areaRows - self.rows) / 2
    }

    /// The screen column holding pixel column `x` (clamped to the picture).
    public func column(forPixelX x: Double) -> Int {
        let c = Int((x * Double(columns) / Double(frameWidth)).rounded(.down))
        return left + min(max(c, 0), columns - 1)
    }

    /// The screen row holding pixel row `y` (clamped to the picture).
    public func row(forPixelY y: Double) -> Int {
        let r = Int((y * Double(rows) / Double(frameHeight)).rounded(.down))
        return top + min(max(r, 0), rows - 1)
    }

    /// The cells a box covers, clipped to the picture; nil when the box lies entirely
    /// outside the frame or is empty. `x1`/`y1` are exclusive pixel edges, so a box
    /// ending exactly at a cell boundary does not spill into the next cell.
    public func cellRect(x: Double, y: Double, width: Double, height: Double)
        -> (left: Int, top: Int, right: Int, bottom: Int)? {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(Double(frameWidth), x + width), y1 = min(Double(frameHeight), y + height)
        guard x1 > x0, y1 > y0, columns > 0, rows > 0 else { return nil }
        // The last pixel inside the box: a hair before the exclusive edge.
        let lastX = max(x0, x1.nextDown), lastY = max(y0, y1.nextDown)
        return (column(forPixelX: x0), row(forPixelY: y0),
                column(forPixelX: lastX), row(forPixelY: lastY))
    }
}
