/// The int8 grids of a version-2 model file (MODEL_FORMAT.md): one scale per stored
/// activation, calibrated at export (`scripts/train/quantize.py`). Value = int8 · scale.
public struct ActivationScales: Sendable, Equatable {
    public var stem: Float
    /// RNN1's row and column summaries, as RNN2 reads them (and as the carried ones are stored).
    public var summaries: Float
    public var rnnpool: Float
    public var blocks: [Float]

    /// Names in network order, as the header's `activations.scales` keys them.
    static func names(blocks: Int) -> [String] {
        ["stem", "rnnpool.summaries", "rnnpool"] + (0..<blocks).map { "blocks.\($0)" }
    }

    var all: [Float] { [stem, summaries, rnnpool] + blocks }
}
