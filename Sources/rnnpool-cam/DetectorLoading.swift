import RNNPoolEngine

/// The one place that builds the face detector, so that every mode (headless, detect,
/// the interactive UI) gets the same one with the same RAM cap.
enum DetectorLoading {
    /// The detector for this run, or nil (after saying so on stderr) when no model file
    /// is found: callers then report empty face lists and never make detections up.
    /// A model file that is present but broken is an error, not a silent fallback.
    static func loadDetector(_ options: DetectorOptions) throws -> (any FaceDetecting)? {
        guard let path = ModelLocator.defaultModelPath() else {
            Console.note("no face model is loaded (assets/models/rnnpool-face.rpm not found; set RNNPOOL_CAM_MODEL to use another file); reporting no faces")
            return nil
        }
        do {
            let model = try RNNPoolModel.load(path: path)
            return try RNNPoolDetector(model: model, ramCapBytes: options.ramCap.bytes, precision: options.precision,
                                       holdFrame: options.holdFrame, inputSize: InputSizeOption.engineSize(options.inputSize))
        } catch {
            throw CLIFailure(message: CLIWording.describe(error))
        }
    }
}
