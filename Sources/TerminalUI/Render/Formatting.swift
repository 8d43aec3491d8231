import Foundation

/// Number formats shared by the status bar and the memory overlay.
enum Formatting {
    /// "512 B", "188.1 KiB", "2.30 MiB".
    static func bytes(_ count: Int) -> String {
        let value = Double(count)
        if count < 1024 { return "\(count) B" }
        if value < 1024 * 1024 { return String(format: "%.1f KiB", value / 1024) }
        return String(format: "%.2f MiB", value / (1024 * 1024))
    }

    /// KiB with one decimal and no unit ("228.6"), for "arena 228.6 of 256.0 KiB".
    static func kibibytes(_ count: Int) -> String {
        String(format: "%.1f", Double(count) / 1024)
    }

    static func fps(_ value: Double?) -> String {
        guard let value, value.isFinite, value > 0 else { return "--" }
        return String(format: value < 10 ? "%.1f" : "%.0f", value)
    }

    static func milliseconds(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "--" }
        return String(format: value < 10 ? "%.2f" : "%.1f", value)
    }

    /// Word-wraps `text` into lines of at most `width` characters (long words are cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            var word = String(word)
            while word.count > width {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            let candidate = current.isEmpty ? word : current + " " + word
            if candidate.count <= width {
                current = candidate
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

}
