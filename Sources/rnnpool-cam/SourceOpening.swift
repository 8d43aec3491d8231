import Foundation
import FrameIO

/// Turns the SOURCE argument into a frame source: `.y4m` files replay, anything else
/// is opened as a V4L2 device (which names the problem if it is not one).
enum SourceOpening {
    static let defaultCamera = "/dev/video0"

    static func isRecording(_ path: String) -> Bool {
        path.lowercased().hasSuffix(".y4m")
    }

    static func open(_ path: String, options: SourceOptions) throws -> any FrameSource {
        if isRecording(path) {
            return try Y4MReader(path: path, pacing: !options.asFastAsPossible, loop: options.loop)
        }
        return try V4L2Camera(devicePath: path, width: options.size.width, height: options.size.height,
                              fps: options.fps)
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
            throw CLIFailure(message: "no SOURCE given, no camera at \(defaultCamera), and the bundled demo (\(BundledDemo.relativePath)) was not found; pass a /dev/videoN or .y4m file")
        }
        Console.note("no SOURCE given and no camera at \(defaultCamera); playing the bundled demo \(demo)")
        return demo
    }
}
