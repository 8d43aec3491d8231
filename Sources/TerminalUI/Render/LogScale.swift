import Foundation

/// A logarithmic byte scale for the memory overlay's bars: from a power of two at or
/// below half the smallest figure up to the largest, so a 48 KiB arena, a 256 KiB cap
/// and a 2.2 MiB conventional network are all readable side by side.
struct LogScale {
    let low: Int
    let high: Int

    init(_ values: [Int]) {
        let positive = values.filter { $0 > 0 }
        let top = max(2, positive.max() ?? 2)
        var low = 1024
        while low * 2 <= (positive.min() ?? 2048) / 2 { low *= 2 }
        self.low = min(low, top / 2)
        high = top
    }

    /// Where `bytes` falls, 0 at `low` (or below), 1 at `high`.
    func fraction(_ bytes: Int) -> Double {
        guard bytes > 0 else { return 0 }
        let f = (Double(bytes) / Double(low)).logarithm() / (Double(high) / Double(low)).logarithm()
        return min(1, max(0, f))
    }

    /// The bar column a value's end falls in, for a bar `width` wide.
    func column(_ bytes: Int, width: Int) -> Int {
        max(0, min(width - 1, Int((fraction(bytes) * Double(width)).rounded()) - 1))
    }
}

private extension Double {
    func logarithm() -> Double { self > 0 ? Foundation.log(self) : 0 }
}
