import RNNPoolEngine

/// The engine reports facts (bytes, layers, what a file lacks); the command line words
/// them for its user, with its own flags.
enum CLIWording {
    static func describe(_ error: any Error) -> String {
        if let e = error as? ModelFileError, e.reason == .noActivationScales {
            return "\(e); use --precision float, or calibrate it with scripts/train/quantize.py"
        }
        return "\(error)"
    }
}
