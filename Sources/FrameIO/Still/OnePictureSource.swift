/// A photo played as a source (a HEIF photo in the live view or headless): its one
/// frame, then the end, as FFmpeg's readers give a photo.
public final class OnePictureSource: FrameSource {
    public let label: String
    public var nominalFPS: Double? { nil }
    private var frame: Frame?

    public init(path: String, frame: Frame) {
        let size = frame.reducedFrom ?? (frame.width, frame.height)
        label = "\(fileName(of: path)) \(size.width)x\(size.height)"
        self.frame = frame
    }

    public func nextFrame() throws -> Frame? {
        defer { frame = nil }
        return frame
    }

    public func close() { frame = nil }
}
