import FrameIO

/// Turns a `ScreenState` into the cells of a `columns` x `rows` terminal: the preview
/// above, the status bar in the last two rows, an overlay on top. Pure; no ncurses.
public struct ScreenRenderer: Sendable {
    /// Below this the UI shows only a message asking for a larger terminal.
    public static let minimumColumns = 40
    public static let minimumRows = 10

    public let theme: Theme
    let preview = ChafaPreview()

    public init(capabilities: TerminalCapabilities) {
        self.theme = Theme(capabilities)
    }

    public func render(_ state: ScreenState, columns: Int, rows: Int) -> CellGrid {
        var grid = CellGrid(width: columns, height: rows)
        guard columns >= Self.minimumColumns, rows >= Self.minimumRows else {
            drawTooSmall(columns: columns, rows: rows, into: &grid)
            return grid
        }
        let areaRows = rows - StatusBar.rows
        // A mode the terminal cannot show (block symbols without UTF-8) draws as ASCII.
        let mode = theme.capabilities.previewModes.contains(state.mode) ? state.mode : .ascii
        if let frame = state.frame {
            let layout = PreviewLayout(frameWidth: frame.width, frameHeight: frame.height,
                                       areaColumns: columns, areaRows: areaRows)
            preview.draw(frame, layout: layout, settings: theme.canvasSettings(mode), into: &grid)
            FaceBoxRenderer.draw(state.faces, sourceWidth: state.facesFrameWidth,
                                 sourceHeight: state.facesFrameHeight, layout: layout,
                                 theme: theme, into: &grid)
        } else {
            let message = "waiting for the first frame"
            grid.put(message, x: max(0, (columns - message.count) / 2), y: areaRows / 2)
        }
        switch state.overlay {
        case .none:
            break
        case .memory:
            let inner = Panel.innerWidth(preferred: MemoryOverlay.preferredWidth, areaColumns: columns)
            let capacity = Panel.capacity(areaRows: areaRows)
            let lines = MemoryOverlay.lines(memory: state.status.memory,
                                            frameFailed: state.status.detectorFailed,
                                            requiredBytes: state.status.requiredArenaBytes,
                                            processRSSBytes: state.processRSSBytes,
                                            innerWidth: inner, capacity: capacity, theme: theme)
            Panel.draw(title: "memory (m or Esc closes)", lines: lines, innerWidth: inner,
                       areaRows: areaRows, theme: theme, into: &grid)
        case .help:
            let inner = Panel.innerWidth(preferred: HelpOverlay.preferredWidth, areaColumns: columns)
            Panel.draw(title: "keys (h or Esc closes)", lines: HelpOverlay.lines(), innerWidth: inner,
                       areaRows: areaRows, theme: theme, into: &grid)
        }
        drawBanner(alerts: state.status.alerts, notice: state.status.notice, areaRows: areaRows, into: &grid)
        StatusBar.draw(state.status, theme: theme, into: &grid)
        return grid
    }

    /// Failures (an arena overflow under a small RAM cap, a source that broke) in red,
    /// then the last message (a saved file, a mode change), in a banner just above the
    /// status bar: whole lines wrapped rather than cut, at most a third of the area.
    private func drawBanner(alerts: [String], notice: String?, areaRows: Int, into grid: inout CellGrid) {
        let width = grid.width - 2
        let lines = (alerts.flatMap { Formatting.wrap($0, width: width).map { ($0, true) } }
            + (notice.map { Formatting.wrap($0, width: width).map { ($0, false) } } ?? []))
            .suffix(max(1, areaRows / 3))
        guard !lines.isEmpty else { return }
        let top = areaRows - lines.count
        let colour = theme.hasColor
        for (index, (line, alert)) in lines.enumerated() {
            let y = top + index
            let fg: CellColor? = colour ? (alert ? 231 : theme.statusForeground) : nil
            let bg: CellColor? = colour ? (alert ? 124 : theme.statusBackground) : nil
            grid.fill(x: 0, y: y, width: grid.width, height: 1, with: Cell(" ", foreground: fg, background: bg,
                                                                            reverse: !colour))
            grid.put(line, x: 1, y: y, foreground: fg, background: bg, bold: alert)
            if !colour { for x in 0..<grid.width { grid[x, y].reverse = true } }
        }
    }

    /// A clear request to enlarge the terminal, word-wrapped into whatever space there is.
    private func drawTooSmall(columns: Int, rows: Int, into grid: inout CellGrid) {
        guard columns > 0, rows > 0 else { return }
        let text = "Terminal too small (\(columns)x\(rows)). Enlarge it to at least "
            + "\(Self.minimumColumns)x\(Self.minimumRows). q quits."
        let lines = Formatting.wrap(text, width: columns)
        let top = max(0, (rows - lines.count) / 2)
        for (index, line) in lines.prefix(rows).enumerated() {
            grid.put(line, x: max(0, (columns - line.count) / 2), y: top + index,
                     foreground: theme.alertForeground, bold: true)
        }
    }
}
