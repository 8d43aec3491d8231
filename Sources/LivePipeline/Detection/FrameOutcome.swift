import RNNPoolEngine

/// What one frame became: the faces (tracked or raw, inside the frame) or why the
/// detector failed on it. The terminal UI draws it; the headless mode prints it.
public struct FrameOutcome: Sendable {
    public var faces: [FaceBox] = []
    /// The size of the frame the faces are in.
    public var frameWidth: Int
    public var frameHeight: Int
    /// The detector's time for this frame; nil when no detector ran or it failed.
    public var milliseconds: Double?
    /// The arena figures after this frame; nil without a detector.
    public var memory: MemorySnapshot?
    /// What the detector said when it failed (e.g. the arena overflow's bytes).
    public var error: String?
    /// On an arena overflow: what a whole frame needs, and the `--ram-cap` that holds it.
    public var advice: String?
    /// On an arena overflow: the bytes a whole frame needs.
    public var requiredArenaBytes: Int?

    public init(faces: [FaceBox] = [], frameWidth: Int, frameHeight: Int, milliseconds: Double? = nil,
                memory: MemorySnapshot? = nil, error: String? = nil, advice: String? = nil,
                requiredArenaBytes: Int? = nil) {
        self.faces = faces
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.milliseconds = milliseconds
        self.memory = memory
        self.error = error
        self.advice = advice
        self.requiredArenaBytes = requiredArenaBytes
    }

    /// The whole failure as one line: what failed, then the advice.
    public var message: String? {
        error.map { e in advice.map { "\(e); \($0)" } ?? e }
    }
}
