/// Colours and characters for one terminal's capabilities. All colours are xterm-256
/// palette indices; indices 0-15 are the classic 16 colours, so `basic` terminals get
/// those.
public struct Theme: Sendable {
    public let capabilities: TerminalCapabilities

    public init(_ capabilities: TerminalCapabilities) {
        self.capabilities = capabilities
    }

    var hasColor: Bool { capabilities.colors != .none }

    /// Face boxes: bright yellow stands out on any grey picture.
    var boxForeground: UInt8? {
        switch capabilities.colors {
        case .none: return nil
        case .basic: return 3
        case .palette256: return 226
        }
    }

    var statusForeground: UInt8? { capabilities.colors == .palette256 ? 255 : (hasColor ? 7 : nil) }
    var statusBackground: UInt8? { capabilities.colors == .palette256 ? 236 : (hasColor ? 4 : nil) }
    var alertForeground: UInt8? { capabilities.colors == .palette256 ? 203 : (hasColor ? 1 : nil) }
    var panelForeground: UInt8? { capabilities.colors == .palette256 ? 252 : (hasColor ? 7 : nil) }
    var panelBackground: UInt8? { capabilities.colors == .palette256 ? 235 : (hasColor ? 0 : nil) }
    var barFilled: UInt8? { capabilities.colors == .palette256 ? 78 : (hasColor ? 2 : nil) }
    var barWarning: UInt8? { capabilities.colors == .palette256 ? 214 : (hasColor ? 3 : nil) }

    // Box-drawing characters, with ASCII stand-ins.
    var horizontal: Character { capabilities.unicode ? "─" : "-" }
    var vertical: Character { capabilities.unicode ? "│" : "|" }
    var topLeft: Character { capabilities.unicode ? "┌" : "+" }
    var topRight: Character { capabilities.unicode ? "┐" : "+" }
    var bottomLeft: Character { capabilities.unicode ? "└" : "+" }
    var bottomRight: Character { capabilities.unicode ? "┘" : "+" }
    var barFull: Character { capabilities.unicode ? "█" : "#" }
    var barEmpty: Character { capabilities.unicode ? "░" : "." }
    var ellipsis: Character { capabilities.unicode ? "…" : "~" }
    var separator: String { capabilities.unicode ? " │ " : " | " }
    /// Eight heights for a sparkline, lowest first.
    var sparkLevels: [Character] {
        capabilities.unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
                             : ["_", ".", "-", "~", "=", "+", "*", "#"]
    }
}
