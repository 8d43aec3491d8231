import RNNPoolEngine

/// The one place that builds the face detector, so that every mode (headless, detect,
/// the interactive UI, bench) gets the same one with the same RAM cap.
///
/// Wiring note for the merge: once RNNPoolEngine provides the loader, the body becomes
///
///     guard let path = ModelLocator.defaultModelPath() else {
///         Console.note("no face model is loaded (assets/models/rnnpool-face.rpm not found); reporting no faces")
///         return nil
///     }
///     do {
///         let model = try RNNPoolModel.load(path: path)
///         return try RNNPoolDetector(model: model, ramCapBytes: ramCapBytes)
///     } catch {
///         throw CLIFailure(message: "\(error)")   // ModelFileError / ArenaOverflowError: one line
///     }
///
/// Until then there is no engine to run, and callers report empty face lists; they
/// never make detections up.
enum DetectorLoading {
    /// The detector for this run, or nil (after saying so on stderr) when none is usable.
    static func loadDetector(ramCapBytes: Int) throws -> (any FaceDetecting)? {
        Console.note("no face model is loaded (this build has no detector engine yet); reporting no faces")
        return nil
    }
}
