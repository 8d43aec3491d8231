import Foundation

/// Weights in the layouts the engine's loops want, derived from the PyTorch-layout
/// tensors of the file. Everything channels-last; channel counts that SIMD loops walk
/// in groups of 8 are zero-padded to a multiple of 8 (zeros change no result).
struct NetworkWeights: Sendable {
    struct Stem: Sendable {
        var channels: Int
        var weight: [Float]   // [c][ky*3+kx]
        var bias: [Float]
    }
    struct FastGRNN: Sendable {
        var input: Int, hidden: Int
        var W: [Float]        // [h][i]
        var U: [Float]        // [h][h]
        var biasZ: [Float], biasH: [Float]
        var sigmaZeta: Float, sigmaNu: Float
        /// e^{−b_z} and e^{−2·b_h}, capped at 1e18 (FastGRNNLanes shares one exp between
        /// the gates); worked out here, in double precision, so the kernels need no libm.
        /// (Stored, set by the host's loader: the firmware has no libm and gets the
        /// kernels' tables ready-made.)
        var expNegBiasZ: [Float], expNeg2BiasH: [Float]
        /// (σ(ζ) + σ(ν))·e^{−b_z}, capped likewise: the gates' keep factor per unit of E.
        var gateKeepSlope: [Float]
        /// The int8 path's compact gates (FastGRNNLanes.compactUpdate), from T = e^{−(a+b_h)}:
        /// −b_h·log₂e, and e^{b_h−b_z} and (σ(ζ) + σ(ν))·e^{b_h−b_z}, capped likewise.
        var negBiasHLog2E: [Float], compactPlusSlope: [Float], compactKeepSlope: [Float]
    }
    /// Padded sizes from `shape` (midPadded: cmid to 16; outStride: cout to 8).
    struct Block: Sendable {
        var shape: Architecture.BlockShape
        var expandWeight: [Float]?  // [cin][midPadded]; nil when expand == 1
        var expandBias: [Float]     // [midPadded]
        var dwWeight: [Float]       // [9][midPadded]
        var dwBias: [Float]         // [midPadded]
        var projectWeight: [Float]  // [midPadded][outStride]
        var projectBias: [Float]    // [outStride]
    }
    struct Head: Sendable {
        var shape: Architecture.HeadShape
        var weight: [Float]         // [9][C][outPadded], l2norm gain folded in
        var bias: [Float]           // [outPadded]
    }

    var stem: Stem
    var rnn1: FastGRNN
    var rnn2: FastGRNN
    var blocks: [Block]
    var heads: [Head]

    init(arch: Architecture, tensor: (String) -> [Float]) {
        let c0 = arch.stem.outChannels
        stem = Stem(channels: c0, weight: tensor("stem.weight"), bias: tensor("stem.bias"))
        func grnn(_ p: String, _ i: Int, _ h: Int) -> FastGRNN {
            FastGRNN(input: i, hidden: h, W: tensor("\(p).W"), U: tensor("\(p).U"),
                     biasZ: tensor("\(p).bias_z"), biasH: tensor("\(p).bias_h"),
                     sigmaZeta: sigmoid64(tensor("\(p).zeta")[0]),
                     sigmaNu: sigmoid64(tensor("\(p).nu")[0]))
        }
        rnn1 = grnn("rnn1", c0, arch.rnnpool.hidden1)
        rnn2 = grnn("rnn2", arch.rnnpool.hidden1, arch.rnnpool.hidden2)
        let shapes = arch.blockShapes
        blocks = shapes.enumerated().map { i, s in
            let hasExpand = s.cmid != s.cin
            return NetworkWeights.blockWeights(
                shape: s, expandWeight: hasExpand ? tensor("blocks.\(i).expand.weight") : nil,
                expandBias: hasExpand ? tensor("blocks.\(i).expand.bias") : nil,
                dwWeight: tensor("blocks.\(i).dw.weight"), dwBias: tensor("blocks.\(i).dw.bias"),
                projectWeight: tensor("blocks.\(i).project.weight"), projectBias: tensor("blocks.\(i).project.bias"))
        }
        heads = arch.heads.enumerated().map { k, h in
            let hs = arch.headShape(k)
            let c = hs.channels, nl = hs.locCount, nc = hs.confCount, op = hs.outPadded
            let g = h.l2norm ? tensor("heads.\(k).l2norm.weight") : [Float](repeating: 1, count: c)
            var w = [Float](repeating: 0, count: 9 * c * op), b = [Float](repeating: 0, count: op)
            for (src, base, n) in [("loc", 0, nl), ("conf", nl, nc)] {
                let sw = tensor("heads.\(k).\(src).weight"), sb = tensor("heads.\(k).\(src).bias")
                for o in 0..<n {
                    b[base + o] = sb[o]
                    for ci in 0..<c { for t in 0..<9 { w[(t * c + ci) * op + base + o] = sw[(o * c + ci) * 9 + t] * g[ci] } }
                }
            }
            return Head(shape: hs, weight: w, bias: b)
        }
    }
}

extension NetworkWeights {
    /// One block's PyTorch-layout tensors → the kernel's padded channels-last layout.
    static func blockWeights(shape s: Architecture.BlockShape, expandWeight w: [Float]?, expandBias b: [Float]?,
                             dwWeight dw: [Float], dwBias db: [Float],
                             projectWeight pw: [Float], projectBias pb: [Float]) -> Block {
        let mp = s.midPadded, cp = s.outStride
        var ew: [Float]? = nil
        var eb = [Float](repeating: 0, count: mp)
        if let w, let b {
            var t = [Float](repeating: 0, count: s.cin * mp)
            for m in 0..<s.cmid { for c in 0..<s.cin { t[c * mp + m] = w[m * s.cin + c] } }
            ew = t
            for m in 0..<s.cmid { eb[m] = b[m] }
        }
        var dwt = [Float](repeating: 0, count: 9 * mp), dbt = [Float](repeating: 0, count: mp)
        for m in 0..<s.cmid {
            for k in 0..<9 { dwt[k * mp + m] = dw[m * 9 + k] }
            dbt[m] = db[m]
        }
        var pwt = [Float](repeating: 0, count: mp * cp), pbt = [Float](repeating: 0, count: cp)
        for o in 0..<s.cout {
            for m in 0..<s.cmid { pwt[m * cp + o] = pw[o * s.cmid + m] }
            pbt[o] = pb[o]
        }
        return Block(shape: s, expandWeight: ew, expandBias: eb, dwWeight: dwt,
                     dwBias: dbt, projectWeight: pwt, projectBias: pbt)
    }
}

extension NetworkWeights.FastGRNN {
    /// The cell from its parameters, with the gates' exps worked out in double precision.
    init(input: Int, hidden: Int, W: [Float], U: [Float], biasZ: [Float], biasH: [Float],
         sigmaZeta: Float, sigmaNu: Float) {
        self.init(input: input, hidden: hidden, W: W, U: U, biasZ: biasZ, biasH: biasH,
                  sigmaZeta: sigmaZeta, sigmaNu: sigmaNu,
                  expNegBiasZ: biasZ.map { Float(min(1e18, Foundation.exp(-Double($0)))) },
                  expNeg2BiasH: biasH.map { Float(min(1e18, Foundation.exp(-2 * Double($0)))) },
                  gateKeepSlope: biasZ.map {
                      Float(min(1e18, (Double(sigmaZeta) + Double(sigmaNu)) * Foundation.exp(-Double($0))))
                  },
                  negBiasHLog2E: biasH.map { Float(-Double($0) / Foundation.log(2.0)) },
                  compactPlusSlope: zip(biasH, biasZ).map { Float(min(1e18, Foundation.exp(Double($0) - Double($1)))) },
                  compactKeepSlope: zip(biasH, biasZ).map {
                      Float(min(1e18, (Double(sigmaZeta) + Double(sigmaNu)) * Foundation.exp(Double($0) - Double($1))))
                  })
    }
}

/// σ of a stored scalar (ζ, ν), in double precision then rounded once.
func sigmoid64(_ x: Float) -> Float { Float(1 / (1 + Foundation.exp(-Double(x)))) }
