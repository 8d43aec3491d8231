/// One character cell of the terminal as the renderer fills it, before ncurses (or
/// a snapshot test) sees it.
public struct Cell: Sendable, Equatable {
    public var character: Character
    /// Foreground and background colours; nil = the terminal's default.
    public var foreground: CellColor?
    public var background: CellColor?
    public var bold: Bool
    /// Swapped foreground and background: how bars stand out without colours.
    public var reverse: Bool

    public init(_ character: Character = " ", foreground: CellColor? = nil, background: CellColor? = nil,
                bold: Bool = false, reverse: Bool = false) {
        self.character = character
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
    }
}
