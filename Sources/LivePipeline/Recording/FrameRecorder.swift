import FrameIO

/// Something that writes a stream of frames to a file: `Y4MWriter` in the app, a fake
/// in tests.
public protocol FrameRecorder: AnyObject {
    func append(_ frame: Frame) throws
    /// Finishes the file; it must be valid afterwards.
    func close() throws
    var framesWritten: Int { get }
}

/// FrameIO's writer already has exactly this shape.
extension Y4MWriter: FrameRecorder {}
