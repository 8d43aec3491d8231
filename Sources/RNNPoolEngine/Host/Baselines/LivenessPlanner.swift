/// Plans activation memory the way a conventional layer-by-layer runtime (TFLite
/// Micro, say) does: every tensor is a full map that lives from the layer producing it
/// to the last layer reading it; a layer needs its inputs and its output at once.
/// Shape-only: no weights, nothing computed.
public struct LivenessPlanner: Sendable {
    public struct Layer: Sendable, Equatable {
        public var name: String
        public var outputBytes: Int
        /// Indices of earlier layers whose outputs this one reads (-1 = the network input).
        public var inputs: [Int]
    }

    public struct Plan: Sendable, Equatable {
        /// Bytes live while each layer runs (its inputs, its output, everything kept for later).
        public var layers: [(name: String, bytes: Int)]
        public var peakBytes: Int
        public var peakLayer: String

        public static func == (a: Plan, b: Plan) -> Bool {
            a.peakBytes == b.peakBytes && a.peakLayer == b.peakLayer
                && a.layers.map(\.name) == b.layers.map(\.name) && a.layers.map(\.bytes) == b.layers.map(\.bytes)
        }
    }

    public var inputBytes: Int
    public var layers: [Layer] = []

    public init(inputBytes: Int) { self.inputBytes = inputBytes }

    /// Adds a layer and returns its index.
    @discardableResult
    public mutating func add(_ name: String, outputBytes: Int, inputs: [Int]) -> Int {
        layers.append(Layer(name: name, outputBytes: outputBytes, inputs: inputs))
        return layers.count - 1
    }

    public func plan() -> Plan {
        // Last reader of each tensor (index -1 is the input).
        var lastUse = [Int](repeating: -1, count: layers.count)
        var inputLast = -1
        for (i, l) in layers.enumerated() {
            for src in l.inputs {
                if src < 0 { inputLast = max(inputLast, i) } else { lastUse[src] = max(lastUse[src], i) }
            }
        }
        var result: [(String, Int)] = []
        var peak = 0, peakLayer = ""
        for (i, l) in layers.enumerated() {
            var live = (inputLast >= i) ? inputBytes : 0
            for j in 0...i where j == i || lastUse[j] >= i { live += layers[j].outputBytes }
            result.append((l.name, live))
            if live > peak { peak = live; peakLayer = l.name }
        }
        return Plan(layers: result, peakBytes: peak, peakLayer: peakLayer)
    }
}
