/// Buffers a camera threw away while `V4L2Camera` waited for one usable frame, by why:
/// what the stall message tells the user when no usable frame came in time.
struct DroppedBuffers {
    var damaged = 0, empty = 0, short = 0, ioErrors = 0
    /// DQBUF said EAGAIN after poll said ready: libv4l2 took a frame from the driver
    /// and could not convert it (a corrupt MJPEG frame, say).
    var unconverted = 0
    var total: Int { damaged + empty + short + ioErrors + unconverted }

    func stallError(devicePath: String, framesCaptured: Int) -> FrameSourceError {
        let seconds = Int(V4L2Camera.stallSeconds)
        let after = "stopped after \(framesCaptured) frame\(framesCaptured == 1 ? "" : "s")"
        guard total > 0 else {
            return FrameSourceError(.timeout, path: devicePath, "no frame for \(seconds) seconds (the camera stalled); \(after)")
        }
        var parts: [String] = []
        if damaged > 0 { parts.append("\(damaged) damaged (V4L2_BUF_FLAG_ERROR)") }
        if short > 0 { parts.append("\(short) short") }
        if empty > 0 { parts.append("\(empty) empty") }
        if ioErrors > 0 { parts.append("\(ioErrors) undecodable (EIO)") }
        if unconverted > 0 { parts.append("\(unconverted) not converted by libv4l2 (EAGAIN)") }
        return FrameSourceError(.timeout, path: devicePath,
            "no usable frame for \(seconds) seconds, only broken buffers: \(parts.joined(separator: ", ")); "
            + "the USB link may be overloaded (try a smaller --size, a lower --fps or another port); \(after)")
    }
}
