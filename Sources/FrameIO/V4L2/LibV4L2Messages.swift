import CV4L2
import InputSafety
#if canImport(Glibc)
import Glibc
#endif

/// libv4l2 prints its own complaints (failed MJPEG decodes, ...) to stderr, which would
/// scribble over a full-screen UI. While the UI owns the terminal they go to a
/// temporary file instead, and are handed back, as printable lines, once it is restored.
public enum LibV4L2Messages {
    nonisolated(unsafe) private static var file: UnsafeMutablePointer<FILE>?

    /// Starts collecting (main thread, before capture starts).
    public static func collect() {
        guard file == nil, let f = tmpfile() else { return }
        file = f
        rc_set_v4l2_log_file(f)
    }

    /// Stops collecting and returns the last `limit` distinct lines libv4l2 wrote.
    public static func release(limit: Int = 5) -> [String] {
        guard let f = file else { return [] }
        rc_set_v4l2_log_file(nil)
        file = nil
        defer { fclose(f) }
        fflush(f)
        rewind(f)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        // The last 64 KiB is plenty for a handful of lines.
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > 1 << 16 { bytes.removeFirst(bytes.count - (1 << 16)) }
        }
        var lines: [String] = []
        for line in bytes.split(separator: 10) where !line.isEmpty {
            let text = Printable.excerpt(bytes: line, limit: 200)
            if lines.last != text { lines.append(text) }
        }
        return Array(lines.suffix(limit))
    }
}
