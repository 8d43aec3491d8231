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
}
