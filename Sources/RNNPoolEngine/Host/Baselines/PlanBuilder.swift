/// Builds a conventional network's liveness plan layer by layer, shape-only: it tracks
/// the current tensor (index, channels, size) so that a baseline reads like its
/// architecture. Every activation takes `bytesPerElement` bytes (1 for an int8 network,
/// 4 for float32); the 8-bit input counts one byte per pixel.
struct PlanBuilder {
    private(set) var planner: LivenessPlanner
    let bytesPerElement: Int
    /// The current tensor: its layer index (−1 = the input), channels, width, height.
    var current = -1
    var channels: Int, width: Int, height: Int

    init(width: Int, height: Int, channels: Int = 1, bytesPerElement: Int) {
        planner = LivenessPlanner(inputBytes: width * height * channels)
        self.bytesPerElement = bytesPerElement
        self.channels = channels
        self.width = width
        self.height = height
    }

    /// A layer reading `inputs` (default: the current tensor) and producing `cout`
    /// channels at `stride`; it becomes the current tensor. Returns its index.
    @discardableResult
    mutating func layer(_ name: String, cout: Int, stride: Int = 1, inputs: [Int]? = nil) -> Int {
        let wo = (width + stride - 1) / stride, ho = (height + stride - 1) / stride
        current = planner.add(name, outputBytes: wo * ho * cout * bytesPerElement, inputs: inputs ?? [current])
        channels = cout; width = wo; height = ho
        return current
    }

    /// MobileNetV2's inverted residual: 1×1 expand (skipped when t = 1), 3×3 depthwise
    /// at `stride`, 1×1 linear projection, residual when shapes allow. Returns the
    /// expansion's index (nil when t = 1) and the block output's.
    @discardableResult
    mutating func mbconv(_ name: String, cout: Int, stride: Int, expand t: Int) -> (expand: Int?, out: Int) {
        let input = current, cin = channels
        var e: Int?
        if t != 1 { e = layer("\(name).expand", cout: cin * t) }
        layer("\(name).dw", cout: cin * t, stride: stride)
        let residual = stride == 1 && cin == cout
        let out = layer("\(name).project", cout: cout, inputs: residual ? [current, input] : [current])
        return (e, out)
    }

    func plan() -> LivenessPlanner.Plan { planner.plan() }
}
