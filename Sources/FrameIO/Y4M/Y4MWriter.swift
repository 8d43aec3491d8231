#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Records frames as YUV4MPEG2: `Cmono`, or `C420jpeg` when `color` is set.
///
/// The header goes out when the file is created, and every frame (its FRAME line, then
/// its planes straight from the frame, never copied into one buffer: an 8192×8192
/// frame is 64 MiB) through a write loop that survives EINTR. A stop (Ctrl-C, SIGTERM)
/// is acted on between frames, and a failed write is cut back to the last whole frame,
/// so a recording is always a valid file: the header plus whole frames.
public final class Y4MWriter {
    public let path: String
    public let width: Int
    public let height: Int
    public let color: Bool
    public private(set) var framesWritten = 0

    private var fd: Int32
    private static let frameLine = Array("FRAME\n".utf8)
    /// File length after the last whole frame: a failed write (disk full) is cut back to it.
    private var validLength = 0

    /// `fps` is written as the nearest rational the header can state.
    public convenience init(path: String, width: Int, height: Int, fps: Double, color: Bool) throws {
        try self.init(path: path, width: width, height: height, rate: Y4MHeader.ratio(forFPS: fps), color: color)
    }

    /// `rate`: the frame rate as the header's F numerator:denominator, written as given
    /// (a recording of a .y4m keeps its source's exact rate, even one no Double rounds back to).
    public init(path: String, width: Int, height: Int, rate: (Int, Int), color: Bool) throws {
        guard width > 0, height > 0 else {
            throw FrameSourceError(.writeFailed, path: path, "cannot record a \(width)x\(height) picture")
        }
        self.path = path
        self.width = width
        self.height = height
        self.color = color
        let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            let code = errno
            switch code {
            case EACCES, EPERM: throw FrameSourceError(.writeFailed, path: path, "permission denied, cannot create the recording")
            case ENOENT: throw FrameSourceError(.writeFailed, path: path, "cannot create the recording: its folder does not exist")
            case EISDIR: throw FrameSourceError(.writeFailed, path: path, "is a directory; give a file name for the recording")
            default: throw FrameSourceError(.writeFailed, path: path, "cannot create the recording: \(errnoText(code))")
            }
        }
        fd = opened
        let header = Y4MHeader(width: width, height: height, fpsNumerator: rate.0, fpsDenominator: rate.1,
                               interlacing: "p", aspect: "1:1", colourspace: color ? .c420jpeg : .mono)
        do {
            try writeAll(Array(header.line.utf8))
        } catch {
            Glibc.close(fd)
            fd = -1
            throw error
        }
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Appends one frame. Its size must match the recording's.
    public func append(_ frame: Frame) throws {
        guard fd >= 0 else {
            throw FrameSourceError(.writeFailed, path: path, "the recording is already closed")
        }
        guard frame.width == width, frame.height == height else {
            throw FrameSourceError(.writeFailed, path: path,
                "frame is \(frame.width)x\(frame.height) but the recording is \(width)x\(height)")
        }
        try writePart(Y4MWriter.frameLine)
        try writePart(frame.luma)
        if color {
            let planes = ChromaResampling.planes420(of: frame)
            try writePart(planes.cb)
            try writePart(planes.cr)
        }
        validLength = partLength
        framesWritten += 1
    }

    /// Flushes and closes the file. Safe to call more than once.
    public func close() throws {
        guard fd >= 0 else { return }
        let rc = fsync(fd)
        let syncErr = errno
        Glibc.close(fd)
        fd = -1
        // fsync fails with EINVAL on pipes and special files, which is harmless.
        if rc != 0 && syncErr != EINVAL && syncErr != EROFS {
            throw FrameSourceError(.writeFailed, path: path, "could not flush the recording: \(errnoText(syncErr))")
        }
    }

    /// Writes the header (whole, or the file is not a recording).
    private func writeAll(_ bytes: [UInt8]) throws {
        try writePart(bytes)
        validLength = partLength
    }

    /// File length including the parts of the frame being written.
    private var partLength = 0

    private func writePart(_ bytes: [UInt8]) throws {
        if let code = bytes.withUnsafeBytes({ writeFully(fd, $0) }) {
            // Cut back to the last whole frame so the file stays valid.
            _ = ftruncate(fd, off_t(validLength))
            partLength = validLength
            let why = code == ENOSPC ? "the disk is full" : errnoText(code)
            throw FrameSourceError(.writeFailed, path: path, "write failed after \(framesWritten) frames: \(why)")
        }
        partLength += bytes.count
    }
}
