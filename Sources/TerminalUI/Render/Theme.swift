/// Colours and characters for one terminal's capabilities. All colours are xterm-256
/// palette indices; indices 0-15 are the classic 16 colours, so `basic` terminals get
/// those.
public struct Theme: Sendable {
    public let capabilities: TerminalCapabilities

    public init(_ capabilities: TerminalCapabilities) {
        self.capabilities = capabilities
    }

    var hasColor: Bool { capabilities.colors != .none }

    /// What libchafa is asked for to draw the picture in `mode` on this terminal.
    func canvasSettings(_ mode: PreviewMode) -> ChafaCanvasSettings {
        ChafaCanvasSettings(mode: mode, colors: capabilities.colors, lightBackground: capabilities.lightBackground)
    }

    /// Face boxes and their labels: the colour says how sure the detector is (green
    /// from 0.8, yellow from 0.6, orange below); without colours, bold only.
    func boxColour(score raw: Float) -> CellColor? {
        // By the score as its label shows it (two decimals): "0.80" is green.
        let score = (raw * 100).rounded() / 100
        switch capabilities.colors {
        case .none: return nil
        case .basic, .sixteen: return score >= 0.8 ? 2 : (score >= 0.6 ? 3 : 1)
        case .palette256, .direct: return score >= 0.8 ? 46 : (score >= 0.6 ? 226 : 208)
        }
    }

    var statusForeground: CellColor? { capabilities.colors >= .palette256 ? 255 : (hasColor ? 7 : nil) }
    var statusBackground: CellColor? { capabilities.colors >= .palette256 ? 236 : (hasColor ? 4 : nil) }
    var alertForeground: CellColor? { capabilities.colors >= .palette256 ? 203 : (hasColor ? 1 : nil) }
    var panelForeground: CellColor? { capabilities.colors >= .palette256 ? 252 : (hasColor ? 7 : nil) }
    var panelBackground: CellColor? { capabilities.colors >= .palette256 ? 235 : (hasColor ? 0 : nil) }
    var barFilled: CellColor? { capabilities.colors >= .palette256 ? 78 : (hasColor ? 2 : nil) }
    var barWarning: CellColor? { capabilities.colors >= .palette256 ? 214 : (hasColor ? 3 : nil) }

    // Box-drawing characters, with ASCII stand-ins.
    var horizontal: Character { capabilities.unicode ? "─" : "-" }
    var vertical: Character { capabilities.unicode ? "│" : "|" }
    var topLeft: Character { capabilities.unicode ? "┌" : "+" }
    var topRight: Character { capabilities.unicode ? "┐" : "+" }
    var bottomLeft: Character { capabilities.unicode ? "└" : "+" }
    var bottomRight: Character { capabilities.unicode ? "┘" : "+" }
    var barFull: Character { capabilities.unicode ? "█" : "#" }
    var barEmpty: Character { capabilities.unicode ? "░" : "." }
    /// Where the RAM cap falls, drawn across the memory overlay's bars.
    var capMarker: Character { capabilities.unicode ? "┃" : "|" }
    var ellipsis: Character { capabilities.unicode ? "…" : "~" }
    var separator: String { capabilities.unicode ? " │ " : " | " }
    /// Eight heights for a sparkline, lowest first.
    var sparkLevels: [Character] {
        capabilities.unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
                             : ["_", ".", "-", "~", "=", "+", "*", "#"]
    }
}
