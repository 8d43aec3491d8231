#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a whole-file read stopped.
public enum BoundedReadError: Error, Equatable, Sendable {
    case noSuchFile
    case permissionDenied
    case isDirectory
    /// The file holds more than `limit` bytes (or never ends, like /dev/zero).
    case tooLarge(limit: Int)
    case readFailed(errno: Int32)
}

/// Reads a whole file, but never more than `limit` bytes: anything longer (including a
/// device that never ends, like /dev/zero) is refused after reading `limit + 1` bytes,
/// so memory stays bounded whatever the path names.
public func readWholeFile(_ path: String, limit: Int) throws(BoundedReadError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw openError(errno) }
    defer { close(fd) }
    return try readWholeFile(descriptor: fd, limit: limit)
}

/// The same from a descriptor already open for reading (left open).
public func readWholeFile(descriptor fd: Int32, limit: Int) throws(BoundedReadError) -> [UInt8] {
    var st = stat()
    if fstat(fd, &st) == 0 {
        if (st.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory }
        if (st.st_mode & S_IFMT) == S_IFREG && Int(st.st_size) > limit { throw .tooLarge(limit: limit) }
    }
    var data: [UInt8] = []
    if (st.st_mode & S_IFMT) == S_IFREG { data.reserveCapacity(Int(st.st_size)) }
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while data.count <= limit {
        let want = min(chunk.count, limit + 1 - data.count)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, want) }
        if n < 0 {
            if errno == EINTR { continue }
            throw .readFailed(errno: errno)
        }
        if n == 0 { return data }
        if data.count + n > data.capacity {
            // Grow by doubling, but never past the limit: memory stays under the
            // limit plus the chunk however long the input runs.
            data.reserveCapacity(min(limit + 1, max(2 * data.capacity, data.count + n)))
        }
        data.append(contentsOf: chunk[0..<n])
    }
    throw .tooLarge(limit: limit)
}

private func openError(_ code: Int32) -> BoundedReadError {
    switch code {
    case ENOENT, ENOTDIR: return .noSuchFile
    case EACCES, EPERM: return .permissionDenied
    case EISDIR: return .isDirectory
    default: return .readFailed(errno: code)
    }
}

extension BoundedReadError {
    /// Short text for a message that already names the file.
    public var text: String {
        switch self {
        case .noSuchFile: return "no such file"
        case .permissionDenied: return "permission denied"
        case .isDirectory: return "is a directory"
        case .tooLarge(let limit): return "larger than the \(ByteCount.text(limit)) limit"
        case .readFailed(let code): return "read failed: " + String(cString: strerror(code))
        }
    }
}

/// Byte counts as people read them in limits: 64 MiB, 512 KiB, 100 bytes.
public enum ByteCount {
    public static func text(_ n: Int) -> String {
        if n >= 1 << 20 && n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
        if n >= 1 << 10 && n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
        return "\(n) bytes"
    }
}
