import ArgumentParser
import Foundation

/// A byte count written as `262144`, `256K` or `1M` (binary: K = 1024, M = 1024 K).
/// Parsing never fails, so that a bad value (`0`, `-5`, `lots`) reaches `validate()`
/// and gets one line that says what is allowed, not ArgumentParser's usage dump.
struct ByteSize: ExpressibleByArgument, Equatable, CustomStringConvertible {
    /// What --ram-cap accepts: the arena is allocated up front, so a cap is real memory.
    static let allowed = 1...(1 << 30)

    var bytes: Int
    /// As written on the command line (for messages); nil for a default.
    var text: String?

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        text = argument
        var digits = argument.trimmingCharacters(in: .whitespaces).uppercased()
        var multiplier = 1
        let suffixes: [(String, Int)] = [("KIB", 1024), ("KB", 1024), ("K", 1024),
                                         ("MIB", 1 << 20), ("MB", 1 << 20), ("M", 1 << 20), ("B", 1)]
        if let (suffix, m) = suffixes.first(where: { digits.hasSuffix($0.0) }) {
            multiplier = m
            digits.removeLast(suffix.count)
        }
        // Unparseable or overflowing values become 0, which `isValid` refuses.
        guard let value = Int(digits) else { bytes = 0; return }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        bytes = overflow ? 0 : product
    }

    var isValid: Bool { ByteSize.allowed.contains(bytes) }

    /// The one-line complaint about an invalid value of `option`.
    func problem(option: String) -> String {
        "\(option) must be from 1 byte to 1024M: bytes, or with a K or M suffix (got \(text ?? description))"
    }

    var description: String {
        if bytes != 0 && bytes % (1 << 20) == 0 { return "\(bytes >> 20)M" }
        if bytes != 0 && bytes % 1024 == 0 { return "\(bytes / 1024)K" }
        return "\(bytes)"
    }
}
