import Foundation

/// The RNNPool face detector: letterbox into the arena, the streamed network, NMS,
/// boxes back in source pixels. Everything per frame lives in one arena of
/// `ramCapBytes`; a frame that does not fit throws `ArenaOverflowError` and leaves the
/// detector ready for the next one.
public final class RNNPoolDetector: FaceDetecting {
    public let model: RNNPoolModel
    public let arena: Arena
    /// The conventional network's plan (shape-only), for comparison.
    public let baselinePlan: LivenessPlanner.Plan
    /// The conventional networks this detector is compared with, planned in its own
    /// precision (int8: 1 byte per activation, float: 4): our network with strided
    /// convolutions in place of RNNPool, and MobileNetV2-SSDLite at the same input.
    public let baselinePlans: [(name: String, plan: LivenessPlanner.Plan)]
    /// Multiply-adds per frame as the network defines them, layer by layer: both passes'
    /// every layer at a larger input.
    public let cost: NetworkCost
    let network: StreamingNetwork
    /// The model's own input size, run after `network` when that one runs larger
    /// (`inputSize`), for faces beyond its largest anchors (CoarseCandidates).
    let coarse: StreamingNetwork?
    /// The architecture the network runs: the model's, at `inputSize` when one is given.
    public let runningArchitecture: Architecture
    /// What the line buffers hold: int8 (compact) or float32 (the reference).
    public let precision: Precision
    /// Letterbox the whole input into the arena before the network runs (the accounting
    /// before 2026-12-06), instead of streaming it 3 rows at a time (the default).
    public let holdFrame: Bool

    /// `precision` nil picks int8 when the model carries activation scales (version 2),
    /// float otherwise; int8 on a file without scales is a one-line `ModelFileError`.
    /// `inputSize` runs the network on a letterboxed input of that size instead of the
    /// model's own (`InputSize`); larger than the model's, a pass at the model's own
    /// size follows for the largest faces. A size it cannot run is `InputSizeError`.
    public init(model: RNNPoolModel, ramCapBytes: Int, precision: Precision? = nil, holdFrame: Bool = false,
                inputSize: (width: Int, height: Int)? = nil) throws {
        self.model = model
        self.holdFrame = holdFrame
        let native = model.architecture
        let a = try inputSize.map { try native.running(width: $0.width, height: $0.height) } ?? native
        runningArchitecture = a
        let p = precision ?? (model.activationScales == nil ? .float : .int8)
        if p == .int8 && model.activationScales == nil {
            throw ModelFileError(path: model.path, reason: .noActivationScales)
        }
        self.precision = p
        arena = Arena(capBytes: ramCapBytes)
        let scales = p == .int8 ? model.activationScales : nil
        network = StreamingNetwork(arch: a, kernels: NetworkKernels(weights: model.weights, arch: a, scales: scales),
                                   arena: arena, scales: scales)
        let larger = a.input.width * a.input.height > native.input.width * native.input.height
        // Same layer names as `network` (same blocks and heads): the arena's per-layer
        // figures count both passes.
        coarse = larger ? StreamingNetwork(arch: native, kernels: NetworkKernels(weights: model.weights, arch: native,
                                                                                 scales: scales),
                                           arena: arena, scales: scales) : nil
        let f = p == .int8 ? 1 : 4
        baselinePlans = [(BaselineNetwork.name, BaselineNetwork.plan(for: a, bytesPerElement: f)),
                         (MobileNetV2SSDLite.name,
                          MobileNetV2SSDLite.plan(width: a.input.width, height: a.input.height, bytesPerElement: f))]
        baselinePlan = baselinePlans[0].plan
        cost = NetworkCost(a).plus(larger ? NetworkCost(native) : nil)
    }

    /// The network's input, width × height.
    public var inputSize: (width: Int, height: Int) { (runningArchitecture.input.width, runningArchitecture.input.height) }

    private var measuredRequirement: Int?
    private var measuredOtherAccounting: Int?

    /// The arena bytes one frame needs: measured once, by running a blank frame through
    /// a second detector on the same model whose arena has room to spare. Every
    /// buffer's size follows from the architecture alone, never from the picture, so
    /// one frame tells it for all.
    public var requiredArenaBytes: Int? {
        if measuredRequirement == nil { measuredRequirement = probePeak(holdFrame: holdFrame) }
        return measuredRequirement
    }

    /// What one frame needs with the input held whole (`holdFrame` false) or streamed
    /// (`holdFrame` true): the other accounting, shown beside this one for comparison.
    public var otherAccountingArenaBytes: Int? {
        if measuredOtherAccounting == nil { measuredOtherAccounting = probePeak(holdFrame: !holdFrame) }
        return measuredOtherAccounting
    }

    private func probePeak(holdFrame hold: Bool) -> Int? {
        let w = runningArchitecture.input.width, h = runningArchitecture.input.height
        guard let probe = try? RNNPoolDetector(model: model, ramCapBytes: 64 << 20, precision: precision,
                                               holdFrame: hold, inputSize: (w, h)) else { return nil }
        let blank = [UInt8](repeating: 0, count: w * h)
        // The network alone: `detect` would report the probe's memory, which probes again.
        guard (try? blank.withUnsafeBufferPointer({
            try probe.network.detectFaces(luma: $0.baseAddress!, width: w, height: h, threshold: 1, holdFrame: hold,
                                          coarse: probe.coarse)
        })) != nil else { return nil }
        return probe.arena.peakBytes
    }

    public var architecture: Architecture { model.architecture }
    public var defaultThreshold: Float? { architecture.postprocess.scoreThreshold }
    public var maddsPerFrame: Int { cost.total }

    /// The multiply-adds of the layers the last frame ran, layer by layer: at a larger
    /// input both passes, without the heads whose candidates a pass drops and the blocks
    /// only they read (NETWORK.md §6b; which those are depends on the source's size).
    /// `cost` before the first frame.
    public var lastFrameCost: NetworkCost { network.costOfLastFrame.plus(coarse?.costOfLastFrame) }

    /// For each layer of `cost`, the input sizes ("640x480") of the passes that ran it
    /// in the last frame: one pass at the model's own size, two at a larger one, fewer
    /// for a layer a pass passed over.
    public var lastFramePasses: [(name: String, passes: [String])] {
        let fine = network.costOfLastFrame, second = coarse?.costOfLastFrame
        let size = { (a: Architecture) in "\(a.input.width)x\(a.input.height)" }
        return fine.layers.indices.map { i in
            var passes: [String] = []
            if fine.layers[i].madds > 0 { passes.append(size(network.arch)) }
            if let second, let coarse, second.layers[i].madds > 0 { passes.append(size(coarse.arch)) }
            return (fine.layers[i].name, passes)
        }
    }
    /// The implementation each hot loop runs here (the coarse pass's network gets the same).
    public var kernels: ComputeKernels { ComputeKernels(network: network, precision: precision) }
    public var layerNames: [String] { network.layerNames }

    /// Bytes each layer's own buffers (line buffers, scratch) took at most: the
    /// breakdown behind the peak, for the memory overlay and `bench`.
    public var layerOwnBytes: [LayerMemory] {
        zip(arena.layerNames, arena.layerOwnedPeaks).map { LayerMemory(name: $0, peakBytes: $1) }
    }

    /// Receives every layer's output rows during `detect` (tests compare them with
    /// PyTorch). Nil by default: nothing extra is stored.
    public var tap: LayerTap? {
        get { network.tap }
        set { network.tap = newValue }   // the fine pass's layers only
    }

    public var memory: MemorySnapshot {
        MemorySnapshot(capBytes: arena.capBytes, currentBytes: arena.currentBytes, peakBytes: arena.peakBytes,
                       framePeakBytes: arena.framePeakBytes,
                       layers: arena.layerNames.indices.map {
                           LayerMemory(name: arena.layerNames[$0], peakBytes: arena.layerPeaks[$0],
                                       ownBytes: arena.layerOwnedPeaks[$0])
                       },
                       timeline: arena.timeline, weightBytes: model.weightBytes,
                       baselines: baselinePlans.map { BaselineMemory(name: $0.name, peakBytes: $0.plan.peakBytes) },
                       inputHeld: holdFrame, otherAccountingPeakBytes: otherAccountingArenaBytes)
    }

    public func detect(luma: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                       threshold: Float) throws -> DetectionResult {
        let start = DispatchTime.now().uptimeNanoseconds
        precondition(width > 0 && height > 0 && luma.count >= width * height, "luma plane smaller than width × height")
        let faces = try network.detectFaces(luma: luma.baseAddress!, width: width, height: height, threshold: threshold,
                                            holdFrame: holdFrame, coarse: coarse)
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        return DetectionResult(faces: faces, milliseconds: ms, memory: memory)
    }
}
