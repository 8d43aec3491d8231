#if canImport(Glibc)
import Glibc
#endif
import FrameIO
import LivePipeline

/// How the CLI configures the live UI.
public struct LiveOptions: Sendable {
    /// Initial detection threshold (`+`/`-` change it by `thresholdStep`).
    public var threshold: Float
    /// The detector's RAM cap in bytes, shown when no detector is loaded.
    public var ramCapBytes: Int
    /// Where `r` recordings and `s` stills are written.
    public var outputDirectory: String
    /// The source's name in the status bar.
    public var sourceLabel: String
    /// Preview mode to start in; nil picks the best the terminal can show.
    public var initialMode: PreviewMode?
    /// `--frames`: the source ends after this many frames.
    public var maxFrames: Int?
    /// Track faces across frames (steady boxes with ids); false shows raw detections.
    public var tracking: Bool
    /// Opens a recording (path, width, height, fps, colour). nil uses FrameIO's `Y4MWriter`.
    public var makeRecorder: (@Sendable (String, Int, Int, Double, Bool) throws -> any FrameRecorder)?
    /// Saves one frame as PGM. nil uses `PNMImage.writePGM`.
    public var saveStill: (@Sendable (Frame, String) throws -> Void)?

    public static let thresholdStep: Float = 0.05

    public init(threshold: Float = 0.5, ramCapBytes: Int = 256 * 1024, outputDirectory: String = ".",
                sourceLabel: String, initialMode: PreviewMode? = nil, tracking: Bool = true, maxFrames: Int? = nil,
                makeRecorder: (@Sendable (String, Int, Int, Double, Bool) throws -> any FrameRecorder)? = nil,
                saveStill: (@Sendable (Frame, String) throws -> Void)? = nil) {
        self.threshold = threshold
        self.ramCapBytes = ramCapBytes
        self.outputDirectory = outputDirectory
        self.sourceLabel = sourceLabel
        self.initialMode = initialMode
        self.maxFrames = maxFrames
        self.tracking = tracking
        self.makeRecorder = makeRecorder
        self.saveStill = saveStill
    }
}

/// What a live session did, for the CLI to print after the terminal is restored.
public struct LiveSummary: Sendable, Equatable {
    public enum EndReason: String, Sendable {
        case quitKey = "quit"
        case interrupted = "SIGINT"
        case terminated = "SIGTERM"
        case hungUp = "SIGHUP"
        case quitSignal = "SIGQUIT"

        /// The reason a stop signal gives, or nil for 0 or another signal.
        public init?(signal: Int32) {
            switch signal {
            case SIGINT: self = .interrupted
            case SIGTERM: self = .terminated
            case SIGHUP: self = .hungUp
            case SIGQUIT: self = .quitSignal
            default: return nil
            }
        }

        /// The signal number, nil for the quit key: the CLI exits with 128 + it.
        public var signal: Int32? {
            switch self {
            case .quitKey: return nil
            case .interrupted: return SIGINT
            case .terminated: return SIGTERM
            case .hungUp: return SIGHUP
            case .quitSignal: return SIGQUIT
            }
        }
    }

    public var endReason: EndReason
    public var framesCaptured: Int
    public var framesDetected: Int
    /// Frames the detector never saw because it was still busy with an earlier one.
    public var framesDropped: Int
    /// Frames the detector failed on, and the last failure (one line).
    public var framesFailed: Int = 0
    public var lastFailure: String?
    public var recordings: [String]
    public var stills: [String]
    /// The source's error when it failed mid-run (one line naming the file or device);
    /// the CLI should print it and exit non-zero.
    public var sourceError: String?
    public var peakArenaBytes: Int?

    public init(endReason: EndReason, framesCaptured: Int, framesDetected: Int, framesDropped: Int,
                recordings: [String], stills: [String], sourceError: String?, peakArenaBytes: Int?) {
        self.endReason = endReason
        self.framesCaptured = framesCaptured
        self.framesDetected = framesDetected
        self.framesDropped = framesDropped
        self.recordings = recordings
        self.stills = stills
        self.sourceError = sourceError
        self.peakArenaBytes = peakArenaBytes
    }
}
