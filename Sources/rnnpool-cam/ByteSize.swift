import ArgumentParser
import Foundation

/// A byte count written as `262144`, `256K` or `1M` (binary: K = 1024, M = 1024 K).
struct ByteSize: ExpressibleByArgument, Equatable, CustomStringConvertible {
    var bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        var text = argument.trimmingCharacters(in: .whitespaces).uppercased()
        var multiplier = 1
        let suffixes: [(String, Int)] = [("KIB", 1024), ("KB", 1024), ("K", 1024),
                                         ("MIB", 1 << 20), ("MB", 1 << 20), ("M", 1 << 20), ("B", 1)]
        if let (suffix, m) = suffixes.first(where: { text.hasSuffix($0.0) }) {
            multiplier = m
            text.removeLast(suffix.count)
        }
        guard let value = Int(text), value > 0, value <= Int(Int32.max) / multiplier else { return nil }
        bytes = value * multiplier
    }

    var description: String {
        if bytes % (1 << 20) == 0 { return "\(bytes >> 20)M" }
        if bytes % 1024 == 0 { return "\(bytes / 1024)K" }
        return "\(bytes)"
    }
}
