/// The conventional network RNNPool stands in for, planned shape-only for comparison:
/// the same stem, then the MobileNetV2-style strided stages that would take the
/// 160×120×C0 stem output to the RNNPool's 40×30×64 (a 3×3 stride-2 conv C0→16, then
/// MBConv 16→24, MBConv 24→32 stride 2, MBConv 32→64, with the model's own first
/// expansion factor), then exactly our blocks and heads. Float32 activations.
public enum BaselineNetwork {
    /// How the memory overlay and JSON name it: our network with strided convolutions
    /// where the RNNPool layer is.
    public static let name = "strided-conv CNN"

    public static func planner(for arch: Architecture) -> LivenessPlanner {
        let f = 4
        var p = LivenessPlanner(inputBytes: arch.input.width * arch.input.height)
        var w = arch.stemWidth, h = arch.stemHeight
        var cur = p.add("stem", outputBytes: w * h * arch.stem.outChannels * f, inputs: [-1])
        w = (w + 1) / 2; h = (h + 1) / 2
        cur = p.add("conv3x3 s2 \(arch.stem.outChannels)→16", outputBytes: w * h * 16 * f, inputs: [cur])
        let t = arch.blocks.first?.expand ?? 2
        var c = 16
        func mbconv(_ name: String, cout: Int, stride: Int, expand: Int) {
            var x = cur
            let mid = c * expand
            if expand != 1 { x = p.add("\(name).expand", outputBytes: w * h * mid * f, inputs: [x]) }
            let wo = (w + stride - 1) / stride, ho = (h + stride - 1) / stride
            x = p.add("\(name).dw", outputBytes: wo * ho * mid * f, inputs: [x])
            let residual = stride == 1 && c == cout
            x = p.add("\(name).project", outputBytes: wo * ho * cout * f, inputs: residual ? [x, cur] : [x])
            cur = x; c = cout; w = wo; h = ho
        }
        mbconv("mbconv 16→24", cout: 24, stride: 1, expand: t)
        mbconv("mbconv 24→32 s2", cout: 32, stride: 2, expand: t)
        // Strided stages until the RNNPool's output size is reached.
        while w > arch.rnnpool.padTo[0] || h > arch.rnnpool.padTo[1] {
            mbconv("mbconv \(c)→\(c) s2", cout: c, stride: 2, expand: t)
        }
        mbconv("mbconv 32→\(arch.poolChannels)", cout: arch.poolChannels, stride: 1, expand: t)
        var blockOut: [Int] = []
        for (i, b) in arch.blocks.enumerated() {
            mbconv("blocks.\(i)", cout: b.outChannels, stride: b.stride, expand: b.expand)
            blockOut.append(cur)
        }
        let shapes = arch.blockShapes
        for (k, head) in arch.heads.enumerated() {
            let s = shapes[head.block]
            var src = blockOut[head.block]
            if head.l2norm { src = p.add("heads.\(k).l2norm", outputBytes: s.wout * s.hout * s.cout * f, inputs: [src]) }
            let (nl, nc) = arch.headOutputs(k)
            p.add("heads.\(k).loc", outputBytes: s.wout * s.hout * nl * f, inputs: [src])
            p.add("heads.\(k).conf", outputBytes: s.wout * s.hout * nc * f, inputs: [src])
        }
        return p
    }

    public static func plan(for arch: Architecture) -> LivenessPlanner.Plan { planner(for: arch).plan() }
}
