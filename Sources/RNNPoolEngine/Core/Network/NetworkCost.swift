/// Multiply-adds per frame, layer by layer, as the network defines them (NETWORK.md):
/// what any correct implementation must at least compute.
public struct NetworkCost: Sendable {
    public var layers: [(name: String, madds: Int)]
    public var total: Int { layers.reduce(0) { $0 + $1.madds } }

    public init(_ a: Architecture) {
        var l: [(name: String, madds: Int)] = []   // labelled: Embedded Swift cannot convert tuple arrays
        let c0 = a.stem.outChannels, p = a.rnnpool.patch
        l.append(("stem", a.stemWidth * a.stemHeight * c0 * 9))
        let patches = a.patchesX * a.patchesY, h1 = a.rnnpool.hidden1, h2 = a.rnnpool.hidden2
        let rnn1 = patches * 2 * p * p * h1 * (c0 + h1)      // 2P sequences of P steps
        let rnn2 = patches * 4 * p * h2 * (h1 + h2)          // 4 sequences of P steps
        l.append(("rnnpool", rnn1 + rnn2))
        for (i, s) in a.blockShapes.enumerated() {
            let expand = s.cmid != s.cin ? s.win * s.hin * s.cin * s.cmid : 0
            let dw = s.wout * s.hout * s.cmid * 9
            let project = s.wout * s.hout * s.cmid * s.cout
            l.append(("blocks.\(i)", expand + dw + project))
        }
        let shapes = a.blockShapes
        for (k, h) in a.heads.enumerated() {
            let s = shapes[h.block], (nl, nc) = a.headOutputs(k)
            let norm = h.l2norm ? s.wout * s.hout * s.cout * 2 : 0
            l.append(("heads.\(k)", s.wout * s.hout * s.cout * 9 * (nl + nc) + norm))
        }
        layers = l
    }

    /// Layer by layer, this cost plus `other`'s (the same layers: a second pass of the
    /// same network at another input size).
    public func plus(_ other: NetworkCost?) -> NetworkCost {
        guard let other else { return self }
        var c = self
        for i in c.layers.indices { c.layers[i].madds += other.layers[i].madds }
        return c
    }

    /// The layers that ran: the stem and RNNPool always, block i where `blocks[i]`, head
    /// k where `heads[k]` (a frame at a larger input passes over the heads whose
    /// candidates it drops, and the blocks only they read: NETWORK.md §6b). The others
    /// count 0.
    public func ran(blocks: [Bool], heads: [Bool]) -> NetworkCost {
        var c = self
        for (i, on) in blocks.enumerated() where !on { c.layers[2 + i].madds = 0 }
        for (k, on) in heads.enumerated() where !on { c.layers[2 + blocks.count + k].madds = 0 }
        return c
    }
}
