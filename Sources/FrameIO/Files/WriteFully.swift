#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes every byte of `raw` to `fd`, retrying short writes and EINTR. Returns nil on
/// success, else the errno of the failing write (callers turn it into a one-line
/// message naming their file).
public func writeFully(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Int32? {
    var offset = 0
    while offset < raw.count {
        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += n
    }
    return nil
}
