import Foundation
import FrameIO

/// Turns the SOURCE argument into a frame source, by what it is: a character device
/// (or a missing /dev path) is a V4L2 camera (which names the problem if it is not
/// one), a .y4m replays through our reader, any other clip or photo through FFmpeg.
enum SourceOpening {
    static let defaultCamera = "/dev/video0"

    static func open(_ path: String, options: SourceOptions) throws -> any FrameSource {
        switch PictureFileKind.of(path: path) {
        case .device:
            return try V4L2Camera(devicePath: path, width: options.size.width, height: options.size.height,
                                  fps: options.fps)
        case .y4m:
            return try Y4MReader(path: path, pacing: !options.asFastAsPossible, loop: options.loop)
        case .media, .pnm:
            return try MediaReader(path: path, pacing: !options.asFastAsPossible, loop: options.loop)
        case .heif:
            return OnePictureSource(path: path, frame: try HEIFImage.read(path: path))
        }
    }

    /// SOURCE when given; else /dev/video0 if it exists, else the bundled demo. Says on
    /// stderr which it picked when it picked one itself.
    static func resolve(_ given: String?) throws -> String {
        if let given { return given }
        if FileManager.default.fileExists(atPath: defaultCamera) {
            Console.note("no SOURCE given; using the camera \(defaultCamera)")
            return defaultCamera
        }
        guard let demo = BundledDemo.locate() else {
            throw CLIFailure(message: "no SOURCE given, no camera at \(defaultCamera), and the bundled demo (\(BundledDemo.relativePath)) was not found; pass a /dev/videoN, a clip or a .y4m file")
        }
        Console.note("no SOURCE given and no camera at \(defaultCamera); playing the bundled demo \(demo)")
        return demo
    }
}
