import FrameIO
import LivePipeline

/// The file writers `r` and `s` use unless LiveOptions supplies others (tests do).
enum DefaultOutputs {
    static let makeRecorder: @Sendable (String, Int, Int, Double, Bool) throws -> any FrameRecorder = {
        path, width, height, fps, color in
        try Y4MWriter(path: path, width: width, height: height, fps: fps, color: color)
    }

    static let saveStill: @Sendable (Frame, String) throws -> Void = { frame, path in
        try PNMImage.writePGM(frame, to: path)
    }
}

