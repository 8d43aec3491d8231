/// Text that came from a file or a device, made safe to put in a one-line message:
/// control bytes, escapes and invalid UTF-8 become visible `\xNN` / `\u{N}` escapes, and
/// long text is cut with an ellipsis. A hostile file can then neither break the line,
/// move the terminal's cursor, nor fill the screen.
public enum Printable {
    /// The default number of characters kept from a file's text.
    public static let defaultLimit = 64

    /// `bytes` decoded as UTF-8, every non-printable character escaped, at most `limit`
    /// characters of the original kept.
    public static func excerpt<Bytes: Collection>(bytes: Bytes, limit: Int = defaultLimit) -> String
    where Bytes.Element == UInt8 {
        excerpt(String(decoding: bytes, as: UTF8.self), limit: limit)
    }

    /// `text` with every non-printable character escaped and at most `limit` characters kept.
    public static func excerpt(_ text: String, limit: Int = defaultLimit) -> String {
        var out = ""
        var kept = 0
        for scalar in text.unicodeScalars {
            if kept == limit { return out + "…" }
            kept += 1
            out += escaped(scalar)
        }
        return out
    }

    /// A whole message made one printable line: every non-printable character escaped,
    /// nothing cut (the CLI's stderr lines, which can quote a user's file names).
    public static func line(_ text: String) -> String {
        text.unicodeScalars.map(escaped).joined()
    }

    private static func escaped(_ s: Unicode.Scalar) -> String {
        switch s.value {
        case 0x20..<0x7F: return String(s)
        case 0xFFFD: return "\\u{FFFD}"   // what invalid UTF-8 decodes to
        case 0..<0x20, 0x7F..<0xA0: return "\\x" + hex2(s.value)
        default:
            // Other scalars print as themselves unless they are invisible or change
            // the line's direction (format characters, separators).
            switch s.properties.generalCategory {
            case .format, .lineSeparator, .paragraphSeparator, .control, .surrogate, .privateUse, .unassigned:
                return "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
            default:
                return String(s)
            }
        }
    }

    private static func hex2(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return s.count == 1 ? "0" + s : s
    }
}
