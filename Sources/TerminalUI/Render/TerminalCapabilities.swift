/// What the terminal can show, decided once at start-up from the locale, terminfo and
/// NO_COLOR. Rendering picks characters and colours from it, so the same code draws
/// for an old VT100 and a 256-colour UTF-8 terminal.
public struct TerminalCapabilities: Sendable, Equatable {
    public enum Colors: Int, Sendable, Comparable {
        case none = 0
        case basic = 8
        case palette256 = 256
        public static func < (a: Colors, b: Colors) -> Bool { a.rawValue < b.rawValue }
    }

    /// The locale is UTF-8, so box-drawing and block characters can be printed.
    public var unicode: Bool
    public var colors: Colors

    public init(unicode: Bool, colors: Colors) {
        self.unicode = unicode
        self.colors = colors
    }

    /// The preview modes this terminal can show, in the order `c` cycles them.
    /// Half-block needs UTF-8 for `▀` and the 24-step grey ramp of the 256 palette.
    public var previewModes: [PreviewMode] {
        unicode && colors == .palette256 ? [.halfBlock, .ascii] : [.ascii]
    }

    /// Decides from the environment: NO_COLOR (any non-empty value) turns colour off;
    /// `colorCount` is terminfo's `colors` (COLORS after start_color()).
    public static func detect(codeset: String, hasColors: Bool, colorCount: Int,
                              environment: [String: String]) -> TerminalCapabilities {
        let unicode = codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let colors: Colors
        if noColor || !hasColors || colorCount < 8 {
            colors = .none
        } else if colorCount >= 256 {
            colors = .palette256
        } else {
            colors = .basic
        }
        return TerminalCapabilities(unicode: unicode, colors: colors)
    }

    public static let plainASCII = TerminalCapabilities(unicode: false, colors: .none)
    public static let full = TerminalCapabilities(unicode: true, colors: .palette256)
}

/// How the camera picture is drawn.
public enum PreviewMode: String, Sendable, CaseIterable {
    /// One grey level per cell from a character ramp; works on any terminal.
    case ascii
    /// `▀` with the upper pixel as foreground and the lower as background colour:
    /// two square-ish pixels per cell on the 24-step grey palette.
    case halfBlock

    public var displayName: String {
        switch self {
        case .ascii: return "ASCII"
        case .halfBlock: return "half-block"
        }
    }
}
