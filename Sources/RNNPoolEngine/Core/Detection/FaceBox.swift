/// One detected face: a box in the pixels of the frame it was found in, and the
/// detector's confidence in [0, 1].
public struct FaceBox: Sendable, Equatable {
    public var x: Float
    public var y: Float
    public var w: Float
    public var h: Float
    public var score: Float
    /// The face's track across frames (`FaceTracker`); nil for a single detection.
    public var id: Int?

    public init(x: Float, y: Float, w: Float, h: Float, score: Float, id: Int? = nil) {
        self.x = x
        self.y = y
        self.w = w
        self.h = h
        self.score = score
        self.id = id
    }

    /// The same box on a grid `x` and `y` times finer (a photo decoded at a fraction
    /// of its size, back in its own pixels).
    public func scaled(x sx: Float, y sy: Float) -> FaceBox {
        FaceBox(x: x * sx, y: y * sy, w: w * sx, h: h * sy, score: score, id: id)
    }
}

#if RNNPOOL_HOST
// JSON output on the host (Embedded Swift has no Codable).
extension FaceBox: Codable {}
#endif
