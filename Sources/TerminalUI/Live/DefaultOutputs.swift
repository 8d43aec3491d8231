import FrameIO

/// The file writers `r` and `s` use unless LiveOptions supplies others (tests do).
enum DefaultOutputs {
    static let makeRecorder: @Sendable (String, Int, Int, Double, Bool) throws -> any FrameRecorder = {
        path, _, _, _, _ in
        throw RecorderUnavailable(path: path)
    }

    static let saveStill: @Sendable (Frame, String) throws -> Void = { _, path in
        throw RecorderUnavailable(path: path)
    }
}

/// Until FrameIO's Y4MWriter and PNMImage land on this branch.
struct RecorderUnavailable: Error, CustomStringConvertible {
    let path: String
    var description: String { "\(path): this build has no .y4m/.pgm writer yet" }
}
