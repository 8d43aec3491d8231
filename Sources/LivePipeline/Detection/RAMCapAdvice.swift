/// What to tell someone whose `--ram-cap` is too small: the bytes a frame needs and
/// the smallest option that holds them, rather than the bytes one allocation missed
/// (the first layer that overflows is rarely the last that would).
public enum RAMCapAdvice {
    /// The smallest whole-KiB `--ram-cap` that holds `bytes`, e.g. "--ram-cap 229K".
    public static func option(for bytes: Int) -> String {
        "--ram-cap \((bytes + 1023) / 1024)K"
    }

    /// "RAM cap 102,400 B is too small: the detector needs 234,112 B; try --ram-cap 229K".
    public static func tooSmall(capBytes: Int, requiredBytes: Int) -> String {
        "RAM cap \(grouped(capBytes)) B is too small: the detector needs \(grouped(requiredBytes)) B; "
            + "try \(option(for: requiredBytes))"
    }

    /// 234112 -> "234,112".
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }
}
