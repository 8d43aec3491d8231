/// Anything that delivers frames: a V4L2 camera, a .y4m file, a fake device in tests.
/// Sources are used from one thread at a time.
public protocol FrameSource: AnyObject {
    /// What the user sees in the status bar, e.g. "/dev/video0 YUYV 640x480" or "demo.y4m".
    var label: String { get }
    /// The source's nominal frame rate, when it has one.
    var nominalFPS: Double? { get }
    /// The next frame, or `nil` at a clean end of the source. Throws a
    /// `FrameSourceError` whose description is one line naming the file or device.
    func nextFrame() throws -> Frame?
    /// Releases the device or file. Safe to call more than once.
    func close()
}

/// A source that can move its play position (a recording on disk, not a camera or a
/// pipe): the player's step and seek keys.
public protocol SeekableFrameSource: FrameSource {
    /// False when this source cannot move after all (a .y4m read from a pipe).
    var canSeek: Bool { get }

    /// Moves so that the next frame is `frames` frames after the last one delivered
    /// (+1: the one that comes next anyway; 0: the last one again; −1: the one before
    /// it), clamped to the first and the last whole frame. The next frame starts a new pass (tracks
    /// restart) and pacing starts over. False when this source cannot move (a pipe).
    func seek(fromLastDeliveredBy frames: Int) -> Bool
}
