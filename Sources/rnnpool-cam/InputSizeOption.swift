import ArgumentParser
import RNNPoolEngine

/// `--input-size WxH`, shared by the live mode, `detect` and `bench`: the network's
/// input (the model's own, 320x240, by default).
enum InputSizeOption {
    static let help = "The network's input size (default: the model's, 320x240). 640x480 finds faces half the size; "
        + "a 320x240 pass follows for the larger faces. Each side a multiple of 8, 64 to 1920."

    static func validate(_ size: FrameSize?) throws {
        guard let size, let why = InputSize.problem(width: size.width, height: size.height) else { return }
        throw optionError("--input-size: " + why)
    }

    /// The size as the detector takes it.
    static func engineSize(_ size: FrameSize?) -> (width: Int, height: Int)? {
        size.map { ($0.width, $0.height) }
    }
}
