/// The conventional network RNNPool stands in for, planned shape-only for comparison:
/// the same stem, then the MobileNetV2-style strided stages that would take the
/// 160×120×C0 stem output to the RNNPool's 40×30×64 (a 3×3 stride-2 conv C0→16, then
/// MBConv 16→24, MBConv 24→32 stride 2, MBConv 32→64, with the model's own first
/// expansion factor), then exactly our blocks and heads. Activations in the precision
/// of the engine run it is compared with (int8: 1 byte, float: 4).
public enum BaselineNetwork {
    /// How the memory overlay and JSON name it: our network with strided convolutions
    /// where the RNNPool layer is.
    public static let name = "strided-conv CNN"

    public static func planner(for arch: Architecture, bytesPerElement f: Int = 4) -> LivenessPlanner {
        var b = PlanBuilder(width: arch.input.width, height: arch.input.height, bytesPerElement: f)
        b.layer("stem", cout: arch.stem.outChannels, stride: 2)
        b.layer("conv3x3 s2 \(arch.stem.outChannels)→16", cout: 16, stride: 2)
        let t = arch.blocks.first?.expand ?? 2
        b.mbconv("mbconv 16→24", cout: 24, stride: 1, expand: t)
        b.mbconv("mbconv 24→32 s2", cout: 32, stride: 2, expand: t)
        // Strided stages until the RNNPool's output size is reached.
        while b.width > arch.rnnpool.padTo[0] || b.height > arch.rnnpool.padTo[1] {
            b.mbconv("mbconv \(b.channels)→\(b.channels) s2", cout: b.channels, stride: 2, expand: t)
        }
        b.mbconv("mbconv 32→\(arch.poolChannels)", cout: arch.poolChannels, stride: 1, expand: t)
        var blockOut: [Int] = []
        for (i, blk) in arch.blocks.enumerated() {
            blockOut.append(b.mbconv("blocks.\(i)", cout: blk.outChannels, stride: blk.stride, expand: blk.expand).out)
        }
        let shapes = arch.blockShapes
        for (k, head) in arch.heads.enumerated() {
            let s = shapes[head.block]
            b.current = blockOut[head.block]
            (b.channels, b.width, b.height) = (s.cout, s.wout, s.hout)
            if head.l2norm { b.layer("heads.\(k).l2norm", cout: s.cout) }
            let src = b.current, (nl, nc) = arch.headOutputs(k)
            b.layer("heads.\(k).loc", cout: nl, inputs: [src])
            b.layer("heads.\(k).conf", cout: nc, inputs: [src])
        }
        return b.planner
    }

    public static func plan(for arch: Architecture, bytesPerElement: Int = 4) -> LivenessPlanner.Plan {
        planner(for: arch, bytesPerElement: bytesPerElement).plan()
    }
}
