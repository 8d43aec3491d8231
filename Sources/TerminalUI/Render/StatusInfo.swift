import RNNPoolEngine

/// Everything the status bar reports, gathered by the live loop each redraw.
public struct StatusInfo: Sendable, Equatable {
    public enum DetectorState: Sendable, Equatable {
        /// No model was loaded: the preview runs without detection.
        case absent
        case running
        /// The last run failed (typically an `ArenaOverflowError` under a small cap);
        /// the message is shown and the loop keeps going.
        case failed(String)
    }

    public var source: String
    public var frameWidth: Int?
    public var frameHeight: Int?
    public var captureFPS: Double?
    public var detector: DetectorState
    public var detectorMilliseconds: Double?
    public var detectorFPS: Double?
    /// New frames put on screen per second.
    public var displayFPS: Double?
    public var renderMilliseconds: Double?
    public var faceCount: Int
    public var threshold: Float
    public var memory: MemorySnapshot?
    /// The configured RAM cap, shown on its own while no detector reports memory.
    public var ramCapBytes: Int?
    /// What one frame needs, known once a frame failed for want of RAM.
    public var requiredArenaBytes: Int?
    public var droppedFrames: Int
    public var paused: Bool
    /// Frames written so far while recording, nil when not recording.
    public var recordingFrames: Int?
    public var endOfSource: Bool
    /// The source failed mid-run (one line naming the file or device).
    public var sourceError: String?
    /// The message after a key (saved file, mode change, error), shown wrapped above
    /// the status bar until the next key.
    public var notice: String?

    public init(source: String, frameWidth: Int? = nil, frameHeight: Int? = nil,
                captureFPS: Double? = nil, detector: DetectorState = .absent,
                detectorMilliseconds: Double? = nil, detectorFPS: Double? = nil, displayFPS: Double? = nil,
                renderMilliseconds: Double? = nil, faceCount: Int = 0, threshold: Float = 0.5,
                memory: MemorySnapshot? = nil, ramCapBytes: Int? = nil, requiredArenaBytes: Int? = nil,
                droppedFrames: Int = 0, paused: Bool = false,
                recordingFrames: Int? = nil, endOfSource: Bool = false, sourceError: String? = nil,
                notice: String? = nil) {
        self.source = source
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.captureFPS = captureFPS
        self.detector = detector
        self.detectorMilliseconds = detectorMilliseconds
        self.detectorFPS = detectorFPS
        self.displayFPS = displayFPS
        self.renderMilliseconds = renderMilliseconds
        self.faceCount = faceCount
        self.threshold = threshold
        self.memory = memory
        self.ramCapBytes = ramCapBytes
        self.requiredArenaBytes = requiredArenaBytes
        self.droppedFrames = droppedFrames
        self.paused = paused
        self.recordingFrames = recordingFrames
        self.endOfSource = endOfSource
        self.sourceError = sourceError
        self.notice = notice
    }

    /// The last frame failed (e.g. the RAM cap is too small): its figures are partial.
    public var detectorFailed: Bool {
        if case .failed = detector { return true }
        return false
    }

    /// Failures worth a banner over the picture rather than a cut-off status field.
    public var alerts: [String] {
        var lines: [String] = []
        if case .failed(let message) = detector { lines.append("detector: \(message)") }
        if let sourceError { lines.append("source: \(sourceError)") }
        return lines
    }
}
