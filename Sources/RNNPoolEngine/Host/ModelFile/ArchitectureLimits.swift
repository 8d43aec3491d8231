import InputSafety

/// Ranges every hyper-parameter of a model header must lie in (MODEL_FORMAT.md,
/// "Limits"). Checked before any derived shape is computed: with these bounds no
/// product the engine forms (activation sizes, multiply-adds, tensor shapes, arena
/// requests) comes near Int's range, so a hostile header is an error, never a trap.
public enum ArchitectureLimits {
    public static let inputSide = 16...4096
    public static let channels = 1...1024
    public static let hidden = 1...256
    public static let expand = 1...16
    public static let blocks = 1...64
    public static let heads = 1...16
    public static let anchorsPerHead = 1...64
    public static let background = 1...255
    public static let topK = 1...100_000
    public static let maxDetections = 1...10_000
    /// Anchors over all heads: 2^24, far above any face detector's (ours: 3,744 at the
    /// training crop, 6,300 at 320×240) and far below Int32, the candidate index's type.
    public static let anchors = 1...(1 << 24)

    /// Why `a` is out of range, or nil when every value is within the limits.
    static func problem(_ a: Architecture) -> String? {
        func outside(_ what: String, _ v: Int, _ r: ClosedRange<Int>) -> String? {
            r.contains(v) ? nil : "\(what) \(v) is outside \(r.lowerBound)...\(r.upperBound)"
        }
        func between(_ what: String, _ v: Float, _ r: ClosedRange<Float>) -> String? {
            r.contains(v) ? nil : "\(what) \(v) is outside \(r.lowerBound)...\(r.upperBound)"
        }
        func notFinite(_ what: String, _ values: [Float]) -> String? {
            values.allSatisfy(\.isFinite) ? nil : "\(what) must be finite numbers"
        }
        var checks: [String?] = [
            outside("input.width", a.input.width, inputSide), outside("input.height", a.input.height, inputSide),
            notFinite("input.scale/offset", [a.input.scale, a.input.offset]),
            outside("stem.out_channels", a.stem.outChannels, channels),
            outside("rnnpool.hidden1", a.rnnpool.hidden1, hidden), outside("rnnpool.hidden2", a.rnnpool.hidden2, hidden),
            outside("number of blocks", a.blocks.count, blocks), outside("number of heads", a.heads.count, heads),
            outside("postprocess.top_k", a.postprocess.topK, topK),
            outside("postprocess.max_detections", a.postprocess.maxDetections, maxDetections),
            notFinite("postprocess values", a.postprocess.variances + [a.postprocess.nmsIoU, a.postprocess.scoreThreshold]),
            between("postprocess.score_threshold", a.postprocess.scoreThreshold, 0...1),
            between("postprocess.nms_iou", a.postprocess.nmsIoU, 0...1),
            a.postprocess.variances.allSatisfy({ $0 > 0 }) ? nil : "postprocess.variances must be positive",
        ]
        if a.rnnpool.padTo.count == 2 {
            checks += [outside("rnnpool.pad_to width", a.rnnpool.padTo[0], inputSide.lowerBound / 16...inputSide.upperBound),
                       outside("rnnpool.pad_to height", a.rnnpool.padTo[1], inputSide.lowerBound / 16...inputSide.upperBound)]
        }
        for (i, b) in a.blocks.enumerated() {
            checks += [outside("blocks.\(i).expand", b.expand, expand),
                       outside("blocks.\(i).out_channels", b.outChannels, channels)]
        }
        for (k, h) in a.heads.enumerated() {
            checks += [outside("heads.\(k): number of sizes", h.sizes.count, anchorsPerHead),
                       outside("heads.\(k).background", h.background, background),
                       notFinite("heads.\(k).step/sizes", [h.step] + h.sizes),
                       ([h.step] + h.sizes).allSatisfy({ $0 > 0 }) ? nil : "heads.\(k).step and sizes must be positive",
                       a.blocks.indices.contains(h.block) ? nil : "head \(k) reads block \(h.block), which does not exist"]
        }
        if let first = checks.lazy.compactMap({ $0 }).first { return first }
        // The maps' sizes are safe to form only with every value in range and the shape
        // of the header right (two pad_to values, strides 1 or 2); Architecture.problem
        // reports what is wrong with the shape.
        guard a.rnnpool.padTo.count == 2, a.blocks.allSatisfy({ $0.stride == 1 || $0.stride == 2 }) else { return nil }
        let shapes = a.blockShapes
        let total = a.heads.reduce(0) { $0 + shapes[$1.block].wout * shapes[$1.block].hout * $1.sizes.count }
        return outside("anchors over all heads", total, anchors)
    }
}
