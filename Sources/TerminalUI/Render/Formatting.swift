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

    /// KiB with one decimal and no unit, for the compact "now/peak/cap" triple.
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
}
