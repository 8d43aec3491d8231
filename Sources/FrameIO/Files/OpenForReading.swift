#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens `path` for reading with the one-line errors every file reader gives: missing,
/// unreadable, or a directory where `what` (e.g. "an image file") was expected.
func openForReading(_ path: String, expecting what: String) throws -> UnsafeMutablePointer<FILE> {
    var st = stat()
    if stat(path, &st) != 0 {
        throw FrameSourceError.fromFileErrno(errno, path: path, action: "read")
    }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        throw FrameSourceError(.notAFile, path: path, "is a directory, not \(what)")
    }
    guard let f = fopen(path, "rb") else {
        throw FrameSourceError.fromFileErrno(errno, path: path, action: "read")
    }
    return f
}

/// The last component of `path`, for labels ("demo.y4m" for "assets/demo.y4m").
func fileName(of path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
