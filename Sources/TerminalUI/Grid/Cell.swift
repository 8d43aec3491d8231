/// One character cell of the terminal as the renderer fills it, before ncurses (or
/// a snapshot test) sees it.
public struct Cell: Sendable, Equatable {
    public var character: Character
    /// Foreground and background colours as xterm-256 palette indices; nil = default.
    public var foreground: UInt8?
    public var background: UInt8?
    public var bold: Bool
    /// Swapped foreground and background: how bars stand out without colours.
    public var reverse: Bool

    public init(_ character: Character = " ", foreground: UInt8? = nil, background: UInt8? = nil,
                bold: Bool = false, reverse: Bool = false) {
        self.character = character
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
    }
}
