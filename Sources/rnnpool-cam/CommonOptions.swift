import ArgumentParser
import RNNPoolEngine

extension Precision: ExpressibleByArgument {}

/// Options every detecting mode shares.
struct DetectorOptions: ParsableArguments {
    // `.unconditional`: a value such as "-5" is taken as the value (and refused with a
    // range error), not read as an unknown option "-5" leaving the value missing.
    @Option(name: .customLong("ram-cap"), parsing: .unconditional,
            help: "Simulated RAM for the detector's activations: bytes, or with a K or M suffix (KiB/MiB).")
    var ramCap: ByteSize = ByteSize(bytes: 256 * 1024)

    @Option(parsing: .unconditional,
            help: "Minimum face score to report, 0 to 1 (default: the model's own threshold, chosen on validation photos).")
    var threshold: Float?

    @Option(help: "Line buffers in int8 (compact) or float (the exact reference). Default: int8 when the model file carries activation scales (version 2), else float.")
    var precision: Precision?

    @Flag(name: .customLong("hold-frame"),
          help: "Letterbox the whole input frame into the detector's RAM before it runs (the old accounting, for comparison); by default rows stream in 3 at a time.")
    var holdFrame = false

    @Option(name: .customLong("input-size"), parsing: .unconditional,
            help: ArgumentHelp(InputSizeOption.help, valueName: "WxH"))
    var inputSize: FrameSize?

    func validate() throws {
        guard ramCap.isValid else { throw optionError(ramCap.problem(option: "--ram-cap")) }
        try InputSizeOption.validate(inputSize)
        if let threshold, !(threshold >= 0 && threshold <= 1 && threshold.isFinite) {
            throw optionError("--threshold must be between 0 and 1 (got \(threshold))")
        }
    }

    /// --threshold when given, else the model file's `score_threshold` (the score where
    /// val precision reaches 0.9), else 0.5 (no model: nothing is reported anyway).
    func threshold(for detector: (any FaceDetecting)?) -> Float {
        if let threshold { return threshold }
        return detector?.defaultThreshold ?? 0.5
    }
}

/// Options that say how to open a frame source.
struct SourceOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Camera capture size, WxH (the driver may pick the nearest it supports).")
    var size: FrameSize = FrameSize(width: 640, height: 480)

    @Option(parsing: .unconditional, help: "Camera frame rate to ask for.")
    var fps: Double?

    @Flag(name: .customLong("as-fast-as-possible"), help: "Replay clips and .y4m files without pacing them at their frame rate.")
    var asFastAsPossible = false

    @Flag(name: .customLong("loop"), help: "Replay clips and .y4m files from the start when they end.")
    var loop = false

    func validate() throws {
        if let fps, !(fps > 0 && fps <= 1000) {
            throw optionError("--fps must be a positive number of frames per second, at most 1000 (got \(fps))")
        }
    }
}
