import InputSafety

/// Everything that can go wrong while frames come in or go out. The description is
/// always one line that starts with the file or device it is about, so the CLI and
/// the UI can show it as is.
public struct FrameSourceError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        // Files (.y4m, PNM)
        case noSuchFile
        case notAFile
        case unreadable
        case emptyFile
        case badMagic
        case missingDimension
        case badHeader
        case unsupportedColourspace
        case unsupportedInterlacing
        case unsupportedMaxval
        case truncated
        /// Larger than a stated limit (whole-file reads are bounded).
        case tooLarge
        case writeFailed
        // Cameras
        case noSuchDevice
        case notACaptureDevice
        case permissionDenied
        case deviceBusy
        case noUsableFormat
        case deviceFailed
        case deviceLost
        case timeout
    }

    /// The file or device this is about.
    public var path: String
    public var kind: Kind
    /// What went wrong, without the path.
    public var problem: String

    public init(_ kind: Kind, path: String, _ problem: String) {
        self.kind = kind
        self.path = path
        self.problem = problem
    }

    /// One printable line whatever the path or a file's text held (sites that quote a
    /// file excerpt it already; this is the backstop).
    public var description: String {
        "\(Printable.excerpt(path, limit: 4096)): \(Printable.excerpt(problem, limit: 512))"
    }
}

extension FrameSourceError {
    /// `--loop` on a replay read from a pipe or FIFO: it plays once, and says why the loop
    /// stops instead of ending quietly.
    static func cannotLoopPipe(path: String, played frames: Int) -> FrameSourceError {
        FrameSourceError(.notAFile, path: path,
                         "cannot start over for --loop: it is not a regular file (a pipe?); played \(frames) frames once")
    }

    /// Maps an errno from open/read/write on a plain file to a one-line error.
    static func fromFileErrno(_ code: Int32, path: String, action: String) -> FrameSourceError {
        switch code {
        case ENOENT: return FrameSourceError(.noSuchFile, path: path, "no such file")
        case EACCES, EPERM: return FrameSourceError(.unreadable, path: path, "permission denied while trying to \(action) it")
        case EISDIR: return FrameSourceError(.notAFile, path: path, "is a directory, not a file")
        default: return FrameSourceError(.unreadable, path: path, "cannot \(action) it: \(errnoText(code))")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// strerror as a Swift string ("Input/output error").
func errnoText(_ code: Int32) -> String {
    guard let c = strerror(code) else { return "error \(code)" }
    return String(cString: c)
}
