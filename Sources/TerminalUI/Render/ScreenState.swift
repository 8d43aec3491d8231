import FrameIO
import RNNPoolEngine

/// What is drawn over the preview.
public enum Overlay: Sendable, Equatable {
    case none
    case memory
    case help
}

/// Everything one redraw depends on. Rendering is a pure function of this and the
/// terminal size, which is what the snapshot tests exercise.
public struct ScreenState: Sendable {
    public var frame: Frame?
    public var faces: [FaceBox]
    /// Size of the frame the faces were detected in (boxes are in its pixels).
    public var facesFrameWidth: Int
    public var facesFrameHeight: Int
    public var status: StatusInfo
    public var mode: PreviewMode
    public var overlay: Overlay
    public var processRSSBytes: Int?

    public init(frame: Frame?, faces: [FaceBox] = [], facesFrameWidth: Int? = nil,
                facesFrameHeight: Int? = nil, status: StatusInfo, mode: PreviewMode,
                overlay: Overlay = .none, processRSSBytes: Int? = nil) {
        self.frame = frame
        self.faces = faces
        self.facesFrameWidth = facesFrameWidth ?? frame?.width ?? 1
        self.facesFrameHeight = facesFrameHeight ?? frame?.height ?? 1
        self.status = status
        self.mode = mode
        self.overlay = overlay
        self.processRSSBytes = processRSSBytes
    }
}
