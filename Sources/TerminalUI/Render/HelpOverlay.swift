/// The `h`/`?` overlay: every key, as the README lists them (`rnnpool-cam --help` lists
/// the same table).
public enum HelpOverlay {
    public static let keys: [(key: String, action: String)] = [
        ("q", "quit"),
        ("Esc", "close this or the memory overlay"),
        ("space", "pause / resume"),
        ("m", "memory overlay"),
        ("c", "preview: symbols / half-block / ASCII"),
        ("+ / -", "raise / lower the detection threshold"),
        ("0", "back to the starting threshold"),
        ("r", "start / stop recording to a .y4m"),
        ("s", "save the current frame as .pgm"),
        (". / ,", "a file: next / previous frame (pauses)"),
        ("← / →", "a file: 5 s back / ahead"),
        ("h / ?", "this help"),
    ]

    static let preferredWidth = 50

    static func lines() -> [PanelLine] {
        keys.map { key, action in
            [Run(MemoryOverlay.pad(key, 10), bold: true), Run(action)]
        }
    }
}
