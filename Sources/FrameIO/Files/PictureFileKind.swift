#if canImport(Glibc)
import Glibc
#endif

/// Which reader a file goes to, chosen by what it holds: our own .y4m and PNM readers
/// for their formats (no FFmpeg needed), FFmpeg for every other clip or photo, a
/// camera for a character device.
public enum PictureFileKind: Equatable, Sendable {
    case y4m
    case pnm
    case media
    case device

    /// By the file's first bytes; by its name where they cannot be read without taking
    /// them from the reader (a FIFO) or the file is missing (the reader then says so).
    public static func of(path: String) -> PictureFileKind {
        var st = stat()
        if stat(path, &st) == 0 {
            switch st.st_mode & S_IFMT {
            case S_IFCHR: return .device
            case S_IFREG: if let kind = bySignature(path) { return kind }
            default: break
            }
        } else if path.hasPrefix("/dev/") {
            return .device
        }
        return byName(path)
    }

    static func bySignature(_ path: String) -> PictureFileKind? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var head = [UInt8](repeating: 0, count: 10)
        let n = fread(&head, 1, head.count, f)
        return bySignature(Array(head.prefix(n)))
    }

    static func bySignature(_ head: [UInt8]) -> PictureFileKind {
        if head.starts(with: Array("YUV4MPEG2".utf8)) { return .y4m }
        if head.count >= 2, head[0] == UInt8(ascii: "P"), (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(head[1]) {
            return .pnm
        }
        return .media
    }

    static func byName(_ path: String) -> PictureFileKind {
        let lower = path.lowercased()
        if lower.hasSuffix(".y4m") { return .y4m }
        if [".pgm", ".ppm", ".pnm", ".pbm"].contains(where: lower.hasSuffix) { return .pnm }
        return .media
    }
}
