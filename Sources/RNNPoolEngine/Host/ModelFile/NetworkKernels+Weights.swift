// The kernels derived from a model file's weights at load time (the host). The firmware
// builds the same kernels around tables linked into flash instead
// (`NetworkKernels.init(arch:scales:linked:)`, Core/Network/NetworkKernels.swift); both
// take their padded layouts from `Architecture.BlockShape` and `HeadShape`.

extension NetworkKernels {
    /// The kernels derived from a model's weights (host: at load time).
    init(weights w: NetworkWeights, arch: Architecture, scales: ActivationScales?) {
        stem = StemKernel(w.stem, arch: arch)
        pool = RNNPoolRowKernel(rnn1: FastGRNNLanes(w.rnn1), rnn2: FastGRNNLanes(w.rnn2),
                                channels: arch.stem.outChannels, stride: arch.rnnpool.stride,
                                patchesX: arch.patchesX, paddedWidth: arch.rnnpool.padTo[0])
        // The weights' layouts depend on channels only; the maps' sizes come from `arch`,
        // which may run the model at another input size (InputSize).
        let shapes = arch.blockShapes
        blocks = w.blocks.enumerated().map { i, bw in
            var sized = bw
            sized.shape = shapes[i]
            return MBConvRowKernel(sized, inputScale: scales.map { i == 0 ? $0.rnnpool : $0.blocks[i - 1] })
        }
        heads = w.heads.enumerated().map { k, hw in
            HeadRowKernel(hw, inputScale: scales.map { $0.blocks[arch.heads[k].block] })
        }
    }
}

extension StemKernel {
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
}

extension FastGRNNLanes {
    init(_ w: NetworkWeights.FastGRNN) {
        input = w.input
        hidden = w.hidden
        W = FloatBuffer(w.W)
        U = FloatBuffer(w.U)
        biasZ = FloatBuffer(w.biasZ)
        biasH = FloatBuffer(w.biasH)
        sigmaZeta = w.sigmaZeta
        sigmaNu = w.sigmaNu
        expNegBiasZ = FloatBuffer(w.expNegBiasZ)
        expNeg2BiasH = FloatBuffer(w.expNeg2BiasH)
        gateKeepSlope = FloatBuffer(w.gateKeepSlope)
        negBiasHLog2E = FloatBuffer(w.negBiasHLog2E)
        compactPlusSlope = FloatBuffer(w.compactPlusSlope)
        compactKeepSlope = FloatBuffer(w.compactKeepSlope)
        saturation = FastGRNNLanes.saturationBound(biasZ: biasZ, biasH: biasH, hidden: hidden)
    }
}

extension MBConvRowKernel {
    /// `inputScale`: the grid of the block's int8 input on the int8 path (the expand
    /// and projection weights are then quantized, QuantizedExpand and
    /// QuantizedProjection); nil on the float path.
    init(_ w: NetworkWeights.Block, inputScale: Float? = nil) {
        let s = w.shape
        var weight = w.expandWeight.map { FloatBuffer($0) }, scale: FloatBuffer? = nil
        if let ew = w.expandWeight, let inputScale {
            let q = QuantizedExpand(weights: ew, cin: s.cin, midPadded: s.midPadded, inputScale: inputScale)
            weight = FloatBuffer(q.weights)
            scale = FloatBuffer(q.scale)
        }
        let projection = inputScale.map { _ in
            let q = QuantizedProjection(weights: w.projectWeight, mid: s.cmid, midPadded: s.midPadded,
                                        outStride: s.outStride)
            return IntegerProjection(weights: Int16Buffer(q.weights), scale: FloatBuffer(q.scale))
        }
        self.init(shape: s, inputScale: inputScale, expandWeight: weight, expandScale: scale,
                  expandBias: FloatBuffer(w.expandBias), dwWeight: FloatBuffer(w.dwWeight),
                  dwBias: FloatBuffer(w.dwBias),
                  projectWeight: projection == nil ? FloatBuffer(w.projectWeight) : nil, projection: projection,
                  projectBias: FloatBuffer(w.projectBias))
    }
}

extension HeadRowKernel {
    /// `inputScale`: the grid of the head's int8 input on the int8 path (the weights are
    /// then quantized, QuantizedHead); nil on the float path.
    init(_ w: NetworkWeights.Head, inputScale: Float? = nil) {
        guard let inputScale else {
            self.init(shape: w.shape, weight: FloatBuffer(w.weight), bias: FloatBuffer(w.bias))
            return
        }
        let q = QuantizedHead(weights: w.weight, channels: w.shape.channels, outPadded: w.shape.outPadded,
                              l2norm: w.shape.l2norm, inputScale: inputScale)
        self.init(shape: w.shape, weight: nil, bias: FloatBuffer(w.bias), integerWeight: Int16Buffer(q.weights),
                  integerScale: FloatBuffer(q.scale))
    }
}
