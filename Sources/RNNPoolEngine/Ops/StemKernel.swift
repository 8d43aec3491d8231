/// The stem: 3×3 convolution, stride 2, zero padding 1, one input channel → C0, folded
/// BatchNorm, ReLU6 (NETWORK.md §2). Reads the 8-bit letterboxed input and normalises
/// each pixel on the fly (`p·scale + offset`); padding is zero in the normalised domain,
/// as in PyTorch.
struct StemKernel {
    let channels: Int
    let weight: FloatBuffer   // [c][9]
    let bias: FloatBuffer
    let scale: Float
    let offset: Float
    let inWidth: Int, inHeight: Int
    let outWidth: Int
    /// [tap][8]: the weights of up to 8 channels per tap, zero-padded.
    let tapWeights: FloatBuffer
    let bias8: FloatBuffer

    init(_ w: NetworkWeights.Stem, arch: Architecture) {
        channels = w.channels
        weight = FloatBuffer(w.weight)
        bias = FloatBuffer(w.bias)
        scale = arch.input.scale
        offset = arch.input.offset
        inWidth = arch.input.width
        inHeight = arch.input.height
        outWidth = arch.stemWidth
        var tw = [Float](repeating: 0, count: 72), b8 = [Float](repeating: 0, count: 8)
        for c in 0..<min(8, w.channels) {
            for k in 0..<9 { tw[k * 8 + c] = w.weight[c * 9 + k] }
            b8[c] = w.bias[c]
        }
        tapWeights = FloatBuffer(tw)
        bias8 = FloatBuffer(b8)
    }

    /// Computes output row `y` into `out` (outWidth × channels floats, channels-last)
    /// from a contiguous input image.
    func run(row y: Int, input: UnsafePointer<UInt8>, out: UnsafeMutablePointer<Float>) {
        run(row: y, inputRow: { input + $0 * inWidth }, out: out, grid: .identity)
    }

    /// The same with input rows given one by one (`inputRow(r)`, 0 ≤ r < inHeight),
    /// stored as `O` on `grid`.
    func run<O: ActivationElement>(row y: Int, inputRow: (Int) -> UnsafePointer<UInt8>,
                                   out: UnsafeMutablePointer<O>, grid: ActivationScale) {
        let inv = grid.inverse
        let c0 = channels
        let rowPointers = ThreeRows(first: 2 * y - 1, height: inHeight, row: inputRow)
        if c0 <= 8 {
            // Up to 8 channels in one vector: per tap, one scalar times 8 weights.
            let wt = tapWeights.p, b = load8(bias8.p)
            for x in 0..<outWidth {
                var acc = b
                for ky in 0..<3 {
                    guard let r = rowPointers[ky] else { continue }
                    for kx in 0..<3 {
                        let ix = 2 &* x &- 1 &+ kx
                        if ix < 0 || ix >= inWidth { continue }
                        let p = Float(r[ix]) * scale + offset
                        acc.addProduct(p, load8(wt + (ky &* 3 &+ kx) &* 8))
                    }
                }
                acc = relu6(acc)
                let o = out + x &* c0
                for c in 0..<c0 { o[c] = O(storing: acc[c], inverse: inv) }
            }
            return
        }
        let w = weight.p, b = bias.p
        var taps = SIMD16<Float>()   // 9 used: on the stack
        for x in 0..<outWidth {
            for ky in 0..<3 {
                for kx in 0..<3 {
                    let ix = 2 * x - 1 + kx
                    taps[ky * 3 + kx] = (rowPointers[ky] != nil && ix >= 0 && ix < inWidth)
                        ? Float(rowPointers[ky]![ix]) * scale + offset : 0
                }
            }
            let o = out + x &* c0
            for c in 0..<c0 {
                var acc = b[c]
                let wc = w + c &* 9
                for k in 0..<9 { acc += wc[k] * taps[k] }
                o[c] = O(storing: relu6(acc), inverse: inv)
            }
        }
    }
}
