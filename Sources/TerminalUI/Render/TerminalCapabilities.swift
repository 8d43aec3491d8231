/// What the terminal can show, decided once at start-up from the locale, terminfo and
/// the environment (NO_COLOR, COLORFGBG). Rendering picks characters and colours from
/// it, so the same code draws for an old VT100 and a direct-colour UTF-8 terminal.
public struct TerminalCapabilities: Sendable, Equatable {
    public enum Colors: Int, Sendable, Comparable {
        case none = 0
        case basic = 8
        case sixteen = 16
        case palette256 = 256
        /// 24-bit colour (terminfo `colors` of 2^24, e.g. TERM=xterm-direct).
        case direct = 16_777_216
        public static func < (a: Colors, b: Colors) -> Bool { a.rawValue < b.rawValue }
    }

    /// The locale is UTF-8, so box-drawing and block characters can be printed.
    public var unicode: Bool
    public var colors: Colors
    /// The terminal draws dark text on a light background. Only matters without
    /// colours, where the picture is made of the terminal's own ink on its own paper.
    public var lightBackground: Bool

    public init(unicode: Bool, colors: Colors, lightBackground: Bool = false) {
        self.unicode = unicode
        self.colors = colors
        self.lightBackground = lightBackground
    }

    /// The preview modes this terminal can show, in the order `c` cycles them; the
    /// first is the default. Symbols and half-block need UTF-8 block characters, and are
    /// far sharper than ASCII with colours or without (ink and paper: closer than ASCII
    /// point by point, 68.6 against 70.8 grey levels on the demo face).
    public var previewModes: [PreviewMode] {
        guard unicode else { return [.ascii] }
        return colors == .none ? [.symbols, .ascii] : [.symbols, .halfBlock, .ascii]
    }

    /// Decides from the environment: NO_COLOR (any non-empty value) turns colour off;
    /// `colorCount` is terminfo's `colors` (COLORS after start_color()); COLORFGBG
    /// ("15;0": white on black), set by rxvt, Konsole and others, tells a light
    /// background from a dark one.
    public static func detect(codeset: String, hasColors: Bool, colorCount: Int,
                              environment: [String: String]) -> TerminalCapabilities {
        let unicode = codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let colors: Colors
        if noColor || !hasColors || colorCount < 8 {
            colors = .none
        } else if colorCount >= Colors.direct.rawValue {
            colors = .direct
        } else if colorCount >= 256 {
            colors = .palette256
        } else if colorCount >= 16 {
            colors = .sixteen
        } else {
            colors = .basic
        }
        return TerminalCapabilities(unicode: unicode, colors: colors,
                                    lightBackground: lightBackground(colorFgBg: environment["COLORFGBG"]))
    }

    /// COLORFGBG's last field is the background's colour number: 7 (light grey) and
    /// 15 (white) are light, as are 9-14 (the bright colours); 0-6 and 8 are dark.
    /// The terminfo type to run as for 24-bit colour when the terminal says it has it the
    /// way chafa, timg and most tools read it (COLORTERM=truecolor or 24bit) while TERM
    /// names a palette entry (xterm-256color): TERM's family with `-direct`
    /// (xterm-direct, tmux-direct, …) when `exists` finds it; nil to run as TERM.
    public static func directColourTerminfo(environment: [String: String], exists: (String) -> Bool) -> String? {
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        guard colorTerm == "truecolor" || colorTerm == "24bit", (environment["NO_COLOR"] ?? "").isEmpty,
              let term = environment["TERM"], !term.isEmpty, !term.hasSuffix("-direct") else { return nil }
        let family = term.split(separator: "-", maxSplits: 1).first.map(String.init) ?? term
        let candidate = family + "-direct"
        return exists(candidate) ? candidate : nil
    }

    static func lightBackground(colorFgBg: String?) -> Bool {
        guard let field = colorFgBg?.split(separator: ";").last, let background = Int(field) else { return false }
        return background == 7 || (9...15).contains(background)
    }

    public static let plainASCII = TerminalCapabilities(unicode: false, colors: .none)
    public static let full = TerminalCapabilities(unicode: true, colors: .palette256)
}

/// How the camera picture is drawn. libchafa chooses each cell's symbol and colours;
/// the modes differ in the symbols it may use.
public enum PreviewMode: String, Sendable, CaseIterable {
    /// Block and quadrant symbols (▀▄▌▐▖▗▘▝▚ and the eighth blocks): the sharpest edges.
    case symbols
    /// Only `▀`/`▄`: two square-ish pixels per cell, a colour each.
    case halfBlock
    /// Printable ASCII only, for terminals without UTF-8; with colours every cell still
    /// carries a foreground and background shade.
    case ascii

    public var displayName: String {
        switch self {
        case .symbols: return "symbols"
        case .ascii: return "ASCII"
        case .halfBlock: return "half-block"
        }
    }
}
