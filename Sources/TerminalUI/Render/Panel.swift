/// One styled piece of a panel line.
struct Run: Sendable {
    var text: String
    var foreground: CellColor? = nil
    var bold: Bool = false

    init(_ text: String, foreground: CellColor? = nil, bold: Bool = false) {
        self.text = text
        self.foreground = foreground
        self.bold = bold
    }
}

typealias PanelLine = [Run]

/// A framed box drawn over the preview (memory overlay, help), centred in the area
/// above the status bar. Lines that do not fit are dropped from the end; text that is
/// too wide is cut.
enum Panel {
    /// Width of the text area a panel can offer in an area `areaColumns` wide.
    static func innerWidth(preferred: Int, areaColumns: Int) -> Int {
        max(0, min(preferred, areaColumns - 4))
    }

    /// How many content lines fit in an area `areaRows` tall.
    static func capacity(areaRows: Int) -> Int { max(0, areaRows - 2) }

    static func draw(title: String, lines: [PanelLine], innerWidth: Int, areaRows: Int,
                     theme: Theme, into grid: inout CellGrid) {
        let shown = Array(lines.prefix(capacity(areaRows: areaRows)))
        let width = innerWidth + 4
        let height = shown.count + 2
        guard innerWidth > 0, height <= areaRows, width <= grid.width else { return }
        let left = (grid.width - width) / 2
        let top = (areaRows - height) / 2
        let fg = theme.panelForeground, bg = theme.panelBackground
        grid.fill(x: left, y: top, width: width, height: height,
                  with: Cell(" ", foreground: fg, background: bg))
        for x in (left + 1)..<(left + width - 1) {
            grid[x, top] = Cell(theme.horizontal, foreground: fg, background: bg)
            grid[x, top + height - 1] = Cell(theme.horizontal, foreground: fg, background: bg)
        }
        for y in (top + 1)..<(top + height - 1) {
            grid[left, y] = Cell(theme.vertical, foreground: fg, background: bg)
            grid[left + width - 1, y] = Cell(theme.vertical, foreground: fg, background: bg)
        }
        grid[left, top] = Cell(theme.topLeft, foreground: fg, background: bg)
        grid[left + width - 1, top] = Cell(theme.topRight, foreground: fg, background: bg)
        grid[left, top + height - 1] = Cell(theme.bottomLeft, foreground: fg, background: bg)
        grid[left + width - 1, top + height - 1] = Cell(theme.bottomRight, foreground: fg, background: bg)
        grid.put(" \(title) ", x: left + 2, y: top, foreground: fg, background: bg, bold: true,
                 maxWidth: width - 4)

        for (index, line) in shown.enumerated() {
            var x = left + 2
            let end = left + 2 + innerWidth
            for run in line where x < end {
                x = grid.put(run.text, x: x, y: top + 1 + index, foreground: run.foreground ?? fg,
                             background: bg, bold: run.bold, maxWidth: end - x)
            }
        }
    }
}
