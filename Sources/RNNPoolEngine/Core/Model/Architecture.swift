/// The architecture hyper-parameters from a model file's JSON header
/// (MODEL_FORMAT.md). Nothing about heads, steps or anchors is hard-coded elsewhere.
public struct Architecture: Sendable, Equatable {
    public struct Input: Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var scale: Float
        public var offset: Float
    }
    public struct Stem: Sendable, Equatable {
        public var outChannels: Int
    }
    public struct Pool: Sendable, Equatable {
        public var patch: Int
        public var stride: Int
        public var hidden1: Int
        public var hidden2: Int
        /// [width, height] after replicate padding.
        public var padTo: [Int]
    }
    public struct Block: Sendable, Equatable {
        public var expand: Int
        public var outChannels: Int
        public var stride: Int
    }
    public struct Head: Sendable, Equatable {
        public var block: Int
        public var l2norm: Bool
        public var step: Float
        public var sizes: [Float]
        public var background: Int
    }
    public struct PostProcess: Sendable, Equatable {
        public var variances: [Float]
        public var nmsIoU: Float
        public var scoreThreshold: Float
        public var topK: Int
        public var maxDetections: Int
        /// Optional (absent in older files: no such test): drop a box whose overlap covers
        /// more than this share of the smaller box (NETWORK.md §6), e.g. a face box
        /// nested in a face-and-collar box, whose IoU stays under `nmsIoU`.
        public var nmsNested: Float? = nil
        /// Optional (absent in older files: no voting): after NMS, each kept box becomes
        /// the score-weighted mean of the candidates whose IoU with it is at least this
        /// (NETWORK.md §6), which steadies the boxes; scores are unchanged.
        public var boxVote: Float? = nil
        /// Optional (absent in older files: the coarse pass adds only the heads beyond the
        /// larger pass's anchors): at an input larger than the model's own, which pass each
        /// head's candidates come from (NETWORK.md §6b), by the head's largest anchor in
        /// the model's own pixels: above this, the coarse pass at the model's size; at or
        /// below it (the larger pass's anchors divided by its scale), the larger pass.
        public var coarseSplit: Float? = nil
    }

    public var kind: String
    public var name: String?
    public var input: Input
    public var stem: Stem
    public var rnnpool: Pool
    public var blocks: [Block]
    public var heads: [Head]
    public var postprocess: PostProcess

    // MARK: Derived shapes (NETWORK.md §2–§5)

    public var stemWidth: Int { (input.width + 1) / 2 }
    public var stemHeight: Int { (input.height + 1) / 2 }
    public var patchesX: Int { (stemWidth - rnnpool.patch) / rnnpool.stride + 1 }
    public var patchesY: Int { (stemHeight - rnnpool.patch) / rnnpool.stride + 1 }
    public var poolChannels: Int { 4 * rnnpool.hidden2 }

    /// (channels in, width in, height in, width out, height out, channels out) per block.
    public struct BlockShape: Sendable, Equatable {
        public var cin, win, hin, cmid, cout, wout, hout, stride: Int
        public var residual: Bool { stride == 1 && cin == cout }

        // The padded layouts the kernel's loops walk (zeros in the padding change no
        // sum); the load-time and the linked kernel inits both read them from here.
        /// Expanded channels rounded up to the kernel's 16-channel group.
        var midPadded: Int { roundUp16(cmid) }
        /// Elements per input pixel (cin rounded up to 8).
        var inStride: Int { roundUp8(cin) }
        /// Elements per output pixel (cout rounded up to 8).
        var outStride: Int { roundUp8(cout) }
    }

    public var blockShapes: [BlockShape] {
        var c = poolChannels, w = rnnpool.padTo[0], h = rnnpool.padTo[1]
        return blocks.map { b in
            let wo = (w + b.stride - 1) / b.stride, ho = (h + b.stride - 1) / b.stride
            defer { c = b.outChannels; w = wo; h = ho }
            return BlockShape(cin: c, win: w, hin: h, cmid: c * b.expand, cout: b.outChannels,
                              wout: wo, hout: ho, stride: b.stride)
        }
    }

    /// A head's input and output layout: `channels` inputs per pixel stored `inStride`
    /// apart, and the loc and conf outputs computed together, padded to `outPadded`.
    struct HeadShape: Sendable, Equatable {
        var channels: Int
        var locCount: Int, confCount: Int
        var l2norm: Bool
        var inStride: Int { roundUp8(channels) }
        var outPadded: Int { roundUp8(locCount + confCount) }
    }

    func headShape(_ k: Int) -> HeadShape {
        let (loc, conf) = headOutputs(k)
        return HeadShape(channels: blockShapes[heads[k].block].cout, locCount: loc, confCount: conf,
                         l2norm: heads[k].l2norm)
    }

    /// Anchors of one head position; K = background + 1 logits per anchor.
    public func headOutputs(_ k: Int) -> (loc: Int, conf: Int) {
        let a = heads[k].sizes.count
        return (4 * a, (heads[k].background + 1) * a)
    }

    /// Tensor name → shape the architecture requires (MODEL_FORMAT.md table).
    public var expectedTensorShapes: [(String, [Int])] {
        let c0 = stem.outChannels, h1 = rnnpool.hidden1, h2 = rnnpool.hidden2
        var s: [(String, [Int])] = [("stem.weight", [c0, 1, 3, 3]), ("stem.bias", [c0])]
        for (r, i, h) in [("rnn1", c0, h1), ("rnn2", h1, h2)] {
            s += [("\(r).W", [h, i]), ("\(r).U", [h, h]), ("\(r).bias_z", [h]), ("\(r).bias_h", [h]),
                  ("\(r).zeta", [1]), ("\(r).nu", [1])]
        }
        let shapes = blockShapes
        for (i, b) in shapes.enumerated() {
            if b.cmid != b.cin {
                s += [("blocks.\(i).expand.weight", [b.cmid, b.cin, 1, 1]), ("blocks.\(i).expand.bias", [b.cmid])]
            }
            s += [("blocks.\(i).dw.weight", [b.cmid, 1, 3, 3]), ("blocks.\(i).dw.bias", [b.cmid]),
                  ("blocks.\(i).project.weight", [b.cout, b.cmid, 1, 1]), ("blocks.\(i).project.bias", [b.cout])]
        }
        for (k, h) in heads.enumerated() {
            let c = shapes[h.block].cout, o = headOutputs(k)
            if h.l2norm { s.append(("heads.\(k).l2norm.weight", [c])) }
            s += [("heads.\(k).loc.weight", [o.loc, c, 3, 3]), ("heads.\(k).loc.bias", [o.loc]),
                  ("heads.\(k).conf.weight", [o.conf, c, 3, 3]), ("heads.\(k).conf.bias", [o.conf])]
        }
        return s
    }
}

// The JSON header maps onto these (host only: the firmware gets its architecture as a
// Swift literal written by `rnnpool-cam m4-image`, and Embedded Swift has no Codable).
#if RNNPOOL_HOST
extension Architecture: Codable {}
extension Architecture.Input: Codable {}
extension Architecture.Stem: Codable {
    enum CodingKeys: String, CodingKey { case outChannels = "out_channels" }
}
extension Architecture.Pool: Codable {
    enum CodingKeys: String, CodingKey { case patch, stride, hidden1, hidden2, padTo = "pad_to" }
}
extension Architecture.Block: Codable {
    enum CodingKeys: String, CodingKey { case expand, outChannels = "out_channels", stride }
}
extension Architecture.Head: Codable {}
extension Architecture.PostProcess: Codable {
    enum CodingKeys: String, CodingKey {
        case variances, nmsIoU = "nms_iou", scoreThreshold = "score_threshold"
        case topK = "top_k", maxDetections = "max_detections", nmsNested = "nms_nested", boxVote = "box_vote"
        case coarseSplit = "coarse_split"
    }
}
#endif
