/// Arithmetic on quantities read from files and devices: nil instead of a trap when the
/// result does not fit, so a hostile header becomes an error message, not a crash.
public enum Checked {
    /// The product of all `factors`, or nil if it overflows or any factor is negative.
    public static func product(_ factors: Int...) -> Int? { product(of: factors) }

    public static func product<S: Sequence>(of factors: S) -> Int? where S.Element == Int {
        var p = 1
        for f in factors {
            guard f >= 0 else { return nil }
            let (r, overflow) = p.multipliedReportingOverflow(by: f)
            if overflow { return nil }
            p = r
        }
        return p
    }

    public static func sum(_ a: Int, _ b: Int) -> Int? {
        let (r, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : r
    }

    /// `value` as an Int when it is finite and within `range`, else nil (Int(x) traps
    /// on NaN, infinities and out-of-range doubles).
    public static func int(_ value: Double, in range: ClosedRange<Int>) -> Int? {
        guard value.isFinite, value >= Double(range.lowerBound), value <= Double(range.upperBound) else { return nil }
        return Int(value)
    }
}
