/// The network's input size as a run-time choice (`--input-size`): the same weights run
/// on a larger (or smaller) letterboxed input. Every layer is a convolution or a
/// pooling over patches, so only the maps' sizes change: at 640×480 a face covers twice
/// the pixels it covers at 320×240, and the anchors (fixed in input pixels) find faces
/// half the size. The line buffers grow with the width only.
public enum InputSize {
    /// Sides the engine accepts: multiples of 8 (the stem halves, RNNPool strides 4),
    /// from the smallest map the heads can read to 1920 (a 1080p frame, in KiB of rings).
    public static let sides = 64...1920

    /// Why `width × height` cannot be an input size, or nil.
    public static func problem(width: Int, height: Int) -> String? {
        guard sides.contains(width), sides.contains(height), width % 8 == 0, height % 8 == 0 else {
            return "the input size must be WxH with each side a multiple of 8 from \(sides.lowerBound) to "
                + "\(sides.upperBound) (got \(width)x\(height))"
        }
        return nil
    }
}

/// Why an input size was refused: one line (InputSize.problem).
public struct InputSizeError: Error, CustomStringConvertible {
    public let description: String
}

extension Architecture {
    /// This architecture on a `width × height` input: the RNNPool output padded by as
    /// many patches as the model's own size pads (one, for ours: 39 → 40 at 320×240,
    /// 79 → 80 at 640×480), everything after it derived as always.
    public func running(width: Int, height: Int) throws(InputSizeError) -> Architecture {
        if let why = InputSize.problem(width: width, height: height) { throw InputSizeError(description: why) }
        var a = self
        a.input.width = width
        a.input.height = height
        a.rnnpool.padTo = [a.patchesX + rnnpool.padTo[0] - patchesX, a.patchesY + rnnpool.padTo[1] - patchesY]
        if let why = a.problem() {
            throw InputSizeError(description: "the model cannot run at \(width)x\(height): \(why)")
        }
        return a
    }
}
