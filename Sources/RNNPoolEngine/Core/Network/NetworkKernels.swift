/// Every kernel of the network with its weights in the layouts the loops read. The host
/// derives them from the model file at load time; the Cortex-M4 firmware cannot (the
/// derived tables would not fit its RAM, and it has no file to read), so
/// `rnnpool-cam m4-image` writes `tables` into a blob linked into flash and the firmware
/// rebuilds the kernels around it with `init(arch:scales:linked:)`, in place.
/// Both directions walk the tables in the order written below.
struct NetworkKernels {
    var stem: StemKernel
    var pool: RNNPoolRowKernel
    var blocks: [MBConvRowKernel]
    var heads: [HeadRowKernel]

    /// The weight tables in link order (scalars as 1-float tables). On the int8 path each
    /// block's expand weights go as int8, in the layout of the firmware's DSP kernel
    /// (`MBConvRowKernel.int8ExpandTable`): a quarter of the flash, and what SMLAD reads;
    /// its projection and head weights as int16 pairs, in their SMLAD kernels' layouts.
    var tables: [LinkedTables.Table] {
        func floats(_ list: [FloatBuffer]) -> [LinkedTables.Table] { list.map { .floats($0) } }
        var t = floats([stem.weight, stem.bias, stem.tapWeights, stem.bias8])
        for r in [pool.rnn1, pool.rnn2] {
            t += floats([r.W, r.U, r.biasZ, r.biasH, FloatBuffer([r.sigmaZeta]), FloatBuffer([r.sigmaNu]),
                         r.expNegBiasZ, r.expNeg2BiasH, r.gateKeepSlope, r.negBiasHLog2E, r.compactPlusSlope,
                         r.compactKeepSlope])
        }
        for b in blocks {
            if let e = b.expandWeight {
                if b.expandScale != nil {
                    t.append(.bytes(MBConvRowKernel.int8ExpandTable(integers: e, cin: b.shape.cin, midPadded: b.midPadded)))
                } else {
                    t.append(.floats(e))
                }
            }
            if let k = b.expandScale { t.append(.floats(k)) }
            t += floats([b.expandBias, b.dwWeight, b.dwBias])
            if let w = b.projectWeight { t.append(.floats(w)) }
            if let p = b.projection { t += [.bytes(p.firmwareTable(outStride: b.outStride)), .floats(p.scale)] }
            t.append(.floats(b.projectBias))
        }
        for h in heads {
            if let w = h.weight { t.append(.floats(w)) }
            if h.integerWeight != nil, let k = h.integerScale { t += [.bytes(h.firmwareIntegerTable()), .floats(k)] }
            t.append(.floats(h.bias))
        }
        return t
    }

    /// The kernels around tables already in memory (the firmware's flash), in the order
    /// of `tables`; sizes follow from the architecture and are checked against the blob.
    init(arch: Architecture, scales: ActivationScales?, linked r: inout LinkedTables) {
        stem = StemKernel(arch: arch, linked: &r)
        let c0 = arch.stem.outChannels
        let rnn1 = FastGRNNLanes(input: c0, hidden: arch.rnnpool.hidden1, linked: &r)
        let rnn2 = FastGRNNLanes(input: arch.rnnpool.hidden1, hidden: arch.rnnpool.hidden2, linked: &r)
        pool = RNNPoolRowKernel(rnn1: rnn1, rnn2: rnn2, channels: c0, stride: arch.rnnpool.stride,
                                patchesX: arch.patchesX, paddedWidth: arch.rnnpool.padTo[0])
        blocks = []
        for (i, s) in arch.blockShapes.enumerated() {
            let inputScale = scales.map { i == 0 ? $0.rnnpool : $0.blocks[i - 1] }
            blocks.append(MBConvRowKernel(shape: s, inputScale: inputScale, linked: &r))
        }
        heads = []
        for k in arch.heads.indices { heads.append(HeadRowKernel(shape: arch.headShape(k), int8: scales != nil, linked: &r)) }
    }
}

// Each kernel around linked tables: the same fields its load-time init derives, in
// the order of `NetworkKernels.tables`.

extension StemKernel {
    init(arch: Architecture, linked r: inout LinkedTables) {
        channels = arch.stem.outChannels
        weight = r.next(channels * 9)
        bias = r.next(channels)
        scale = arch.input.scale
        offset = arch.input.offset
        inWidth = arch.input.width
        inHeight = arch.input.height
        outWidth = arch.stemWidth
        tapWeights = r.next(72)
        bias8 = r.next(8)
    }
}

extension FastGRNNLanes {
    init(input: Int, hidden: Int, linked r: inout LinkedTables) {
        self.input = input
        self.hidden = hidden
        W = r.next(hidden * input)
        U = r.next(hidden * hidden)
        biasZ = r.next(hidden)
        biasH = r.next(hidden)
        sigmaZeta = r.next(1).p[0]
        sigmaNu = r.next(1).p[0]
        expNegBiasZ = r.next(hidden)
        expNeg2BiasH = r.next(hidden)
        gateKeepSlope = r.next(hidden)
        negBiasHLog2E = r.next(hidden)
        compactPlusSlope = r.next(hidden)
        compactKeepSlope = r.next(hidden)
        saturation = FastGRNNLanes.saturationBound(biasZ: biasZ, biasH: biasH, hidden: hidden)
    }
}

extension MBConvRowKernel {
    init(shape s: Architecture.BlockShape, inputScale: Float?, linked r: inout LinkedTables) {
        let mp = s.midPadded, expands = s.cmid != s.cin, int8 = inputScale != nil
        let expandWeight = expands && !int8 ? r.next(s.cin * mp) : nil
        let expandInt8 = expands && int8 ? r.nextBytes(MBConvRowKernel.int8ExpandTableBytes(cin: s.cin, midPadded: mp)) : nil
        let expandScale = expands && int8 ? r.next(mp) : nil
        let expandBias = r.next(mp), dwWeight = r.next(9 * mp), dwBias = r.next(mp)
        let projectWeight = int8 ? nil : r.next(mp * s.outStride)
        // Byte tables are 4-byte aligned (LinkedTables), so the int16 pairs are too.
        let projection = int8 ? IntegerProjection(
            weights: Int16Buffer(linked: UnsafeRawPointer(r.nextBytes(2 * mp * s.outStride)).assumingMemoryBound(to: Int16.self),
                                 count: mp * s.outStride),
            scale: r.next(s.outStride)) : nil
        self.init(shape: s, inputScale: inputScale, expandWeight: expandWeight, expandScale: expandScale,
                  expandBias: expandBias, dwWeight: dwWeight, dwBias: dwBias, projectWeight: projectWeight,
                  projection: projection, projectBias: r.next(s.outStride), expandInt8: expandInt8)
    }
}

extension HeadRowKernel {
    /// `int8`: the int8 path's integer weights (as bytes, in the layout of the firmware's
    /// kernel: `firmwareIntegerTable`) and their scales, else floats.
    init(shape: Architecture.HeadShape, int8: Bool, linked r: inout LinkedTables) {
        guard int8 else {
            self.init(shape: shape, weight: r.next(9 * shape.channels * shape.outPadded), bias: r.next(shape.outPadded))
            return
        }
        let n = HeadRowKernel.integerWeightCount(shape: shape)
        // Byte tables are 4-byte aligned (LinkedTables), so the int16 pairs are too.
        let words = UnsafeRawPointer(r.nextBytes(2 * n)).assumingMemoryBound(to: Int16.self)
        let scale = r.next(shape.outPadded)
        self.init(shape: shape, weight: nil, bias: r.next(shape.outPadded),
                  integerWeight: Int16Buffer(linked: words, count: n), integerScale: scale)
    }
}

/// Reads consecutive weight tables from a blob in memory: per table a UInt32 count of
/// floats, then the floats; or, for an int8 table, the count of bytes with the top bit
/// set, then the bytes, padded to 4 (everything 4-byte aligned, little-endian like both
/// targets).
struct LinkedTables {
    enum Table {
        case floats(FloatBuffer)
        case bytes([Int8])
    }

    static let byteTableFlag: UInt32 = 0x8000_0000

    private var cursor: UnsafePointer<UInt32>
    private let end: UnsafePointer<UInt32>

    init(base: UnsafeRawPointer, byteCount: Int) {
        cursor = base.assumingMemoryBound(to: UInt32.self)
        end = cursor + byteCount / 4
    }

    /// The next table, which must hold `count` floats: a blob written for another
    /// architecture or engine version stops here rather than run on shifted weights.
    mutating func next(_ count: Int) -> FloatBuffer {
        precondition(cursor < end && Int(cursor[0]) == count && end - (cursor + 1) >= count,
                     "linked weight tables do not match the architecture")
        let floats = UnsafeRawPointer(cursor + 1).assumingMemoryBound(to: Float.self)
        cursor += 1 + count
        return FloatBuffer(linked: floats, count: count)
    }

    /// The next table, which must be an int8 table of `count` bytes.
    mutating func nextBytes(_ count: Int) -> UnsafePointer<Int8> {
        let words = (count + 3) / 4
        precondition(cursor < end && cursor[0] == LinkedTables.byteTableFlag | UInt32(truncatingIfNeeded: count)
                     && end - (cursor + 1) >= words, "linked weight tables do not match the architecture")
        let bytes = UnsafeRawPointer(cursor + 1).assumingMemoryBound(to: Int8.self)
        cursor += 1 + words
        return bytes
    }

    /// True when every table has been read.
    var atEnd: Bool { cursor == end }

    /// The blob `next` reads, from tables in link order.
    static func blob(_ tables: [Table]) -> [UInt8] {
        var out: [UInt8] = []
        func put(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
        for table in tables {
            switch table {
            case .floats(let t):
                put(UInt32(t.count))
                for i in 0..<t.count { put(t.p[i].bitPattern) }
            case .bytes(let b):
                put(byteTableFlag | UInt32(b.count))
                out += b.map { UInt8(bitPattern: $0) }
                while out.count % 4 != 0 { out.append(0) }
            }
        }
        return out
    }
}
