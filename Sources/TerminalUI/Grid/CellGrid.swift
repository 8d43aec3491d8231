/// A rectangle of terminal cells: what one redraw of the screen looks like before it
/// is painted. Rendering fills a grid; ncurses (or a snapshot test) reads it.
public struct CellGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Row-major, `width * height` cells.
    public var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = Cell()) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    /// Writes `text` from (x, y) to the right, one character per cell, clipped to the
    /// grid and to `maxWidth` cells. Returns the column after the last cell written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, foreground: CellColor? = nil,
                             background: CellColor? = nil, bold: Bool = false,
                             maxWidth: Int = .max) -> Int {
        guard y >= 0, y < height else { return x }
        var column = x
        let end = maxWidth >= width ? width : min(width, x + max(0, maxWidth))
        for character in text {
            if column >= end { break }
            if column >= 0 {
                cells[y * width + column] = Cell(character, foreground: foreground,
                                                 background: background, bold: bold)
            }
            column += 1
        }
        return column
    }

    /// Fills the cells of a rectangle (clipped to the grid) with `cell`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, with cell: Cell) {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            for column in x0..<x1 { cells[row * width + column] = cell }
        }
    }

    /// The characters of each row, as a user would read them off the screen.
    public var textRows: [String] {
        (0..<height).map { row in
            String(cells[(row * width)..<((row + 1) * width)].map(\.character))
        }
    }
}
