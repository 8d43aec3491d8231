/// Upper bounds a `.rpm` file must respect (MODEL_FORMAT.md, "Limits"). They are far
/// above any detector this engine is meant to run, and low enough that no quantity
/// derived from them can overflow or ask for an absurd allocation.
public enum RPMLimits {
    /// Whole file, read into memory at once.
    public static let fileBytes = 64 << 20
    /// The JSON header.
    public static let headerBytes = 1 << 20
    public static let tensorCount = 4096
    /// Tensor names: 1…255 bytes of printable ASCII.
    public static let nameBytes = 255
    public static let rank = 4
}
