/// MobileNetV2-SSDLite (Sandler et al. 2018, §6.2), the RNNPool paper's comparison for
/// face detection, planned shape-only at our input (320×240, one 8-bit gray channel)
/// by the same planner: MobileNetV2 1.0 (conv 3×3 s2 → 32, the 17 inverted residual
/// blocks of its Table 2, conv 1×1 → 1280), SSDLite features at the expansion of block
/// 13 (576 channels, stride 16) and at the 1280-channel output (stride 32), four extra
/// feature layers (1×1, depthwise 3×3 s2, 1×1: 512, 256, 256, 128 channels), and on each
/// of the six features a separable (depthwise 3×3 + 1×1) loc and conf head for 6 anchors
/// (3 on the first), 2 classes. Activations in the compared run's precision.
public enum MobileNetV2SSDLite {
    public static let name = "MobileNetV2-SSDLite"

    /// (expansion t, channels c, repeats n, first stride s): MobileNetV2's Table 2.
    static let stages: [(t: Int, c: Int, n: Int, s: Int)] = [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ]

    public static func plan(width: Int, height: Int, bytesPerElement f: Int) -> LivenessPlanner.Plan {
        var b = PlanBuilder(width: width, height: height, bytesPerElement: f)
        b.layer("conv3x3 s2 1→32", cout: 32, stride: 2)
        var features: [(index: Int, c: Int, w: Int, h: Int, anchors: Int)] = []
        var block = 0
        for st in stages {
            for i in 0..<st.n {
                let (w, h) = (b.width, b.height)   // the expansion's size (before the stride)
                let r = b.mbconv("mbv2.\(block)", cout: st.c, stride: i == 0 ? st.s : 1, expand: st.t)
                // SSDLite's first feature: block 13's expansion, before its stride-2 depthwise.
                if block == 13, let e = r.expand { features.append((e, 576, w, h, 3)) }
                block += 1
            }
        }
        b.layer("conv1x1 320→1280", cout: 1280)
        features.append((b.current, 1280, b.width, b.height, 6))
        for (k, (mid, out)) in [(256, 512), (128, 256), (128, 256), (64, 128)].enumerated() {
            b.layer("extra.\(k).1x1", cout: mid)
            b.layer("extra.\(k).dw s2", cout: mid, stride: 2)
            b.layer("extra.\(k).1x1 out", cout: out)
            features.append((b.current, out, b.width, b.height, 6))
        }
        for (k, feat) in features.enumerated() {
            for (kind, per) in [("loc", 4), ("conf", 2)] {
                b.current = feat.index
                (b.channels, b.width, b.height) = (feat.c, feat.w, feat.h)
                b.layer("head.\(k).\(kind).dw", cout: feat.c)
                b.layer("head.\(k).\(kind)", cout: feat.anchors * per)
            }
        }
        return b.plan()
    }
}
