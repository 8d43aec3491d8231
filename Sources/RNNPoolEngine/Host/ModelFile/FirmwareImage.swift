/// What the Cortex-M4 firmware (scripts/m4/) links of a model: the kernels' weight
/// tables as one blob for flash (`LinkedTables` reads it back in place), and the
/// architecture and int8 grids as a Swift source file, since the firmware has neither
/// the file nor a JSON parser. Host only: this is the same derivation the host runs
/// at load time, written out instead of kept.
public struct FirmwareImage {
    /// The weight tables in link order (`NetworkKernels.tables`).
    public let tables: [UInt8]
    /// Swift declarations `m4Architecture` and `m4Scales`, compiled with the firmware.
    public let swiftSource: String
    public let precision: Precision

    public init(model: RNNPoolModel, precision: Precision) throws {
        if precision == .int8 && model.activationScales == nil {
            throw ModelFileError(path: model.path, reason: .noActivationScales)
        }
        let scales = precision == .int8 ? model.activationScales : nil
        let arch = model.architecture
        self.precision = precision
        tables = LinkedTables.blob(NetworkKernels(weights: model.weights, arch: arch, scales: scales).tables)
        swiftSource = FirmwareImage.literal(arch, scales)
    }

    private static func literal(_ a: Architecture, _ s: ActivationScales?) -> String {
        // Float.description is the shortest text that reads back as the same Float.
        func floats(_ v: [Float]) -> String { "[" + v.map { "\($0)" }.joined(separator: ", ") + "]" }
        func ints(_ v: [Int]) -> String { "[" + v.map { "\($0)" }.joined(separator: ", ") + "]" }
        let i = a.input, p = a.rnnpool, pp = a.postprocess
        var out = "let m4Architecture = Architecture(\n"
        out += "    kind: \"model\", name: nil,\n"
        out += "    input: .init(width: \(i.width), height: \(i.height), scale: \(i.scale), offset: \(i.offset)),\n"
        out += "    stem: .init(outChannels: \(a.stem.outChannels)),\n"
        out += "    rnnpool: .init(patch: \(p.patch), stride: \(p.stride), hidden1: \(p.hidden1), hidden2: \(p.hidden2), padTo: \(ints(p.padTo))),\n"
        out += "    blocks: [\n"
        for b in a.blocks { out += "        .init(expand: \(b.expand), outChannels: \(b.outChannels), stride: \(b.stride)),\n" }
        out += "    ],\n    heads: [\n"
        for h in a.heads {
            out += "        .init(block: \(h.block), l2norm: \(h.l2norm), step: \(h.step), sizes: \(floats(h.sizes)), background: \(h.background)),\n"
        }
        out += "    ],\n"
        out += "    postprocess: .init(variances: \(floats(pp.variances)), nmsIoU: \(pp.nmsIoU), scoreThreshold: \(pp.scoreThreshold), "
        out += "topK: \(pp.topK), maxDetections: \(pp.maxDetections), nmsNested: \(pp.nmsNested.map { "\($0)" } ?? "nil"), "
        out += "boxVote: \(pp.boxVote.map { "\($0)" } ?? "nil"), coarseSplit: \(pp.coarseSplit.map { "\($0)" } ?? "nil")))\n\n"
        if let s {
            out += "let m4Scales: ActivationScales? = ActivationScales(stem: \(s.stem), summaries: \(s.summaries), "
            out += "rnnpool: \(s.rnnpool), blocks: \(floats(s.blocks)))\n"
        } else {
            out += "let m4Scales: ActivationScales? = nil\n"
        }
        return out
    }
}
