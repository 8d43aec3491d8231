#if canImport(Glibc)
import Glibc
#endif

/// Which reader a file goes to: a character device is a camera; a name ending in
/// `.y4m`, `.pgm`, `.ppm` or `.pnm` goes to our own reader for that format (its
/// messages are the precise ones, and it needs no FFmpeg); any other file by what it
/// holds: our readers for a `YUV4MPEG2` or `P2`/`P3`/`P5`/`P6` start, libheif for a
/// HEIF or AVIF photo, FFmpeg for everything else.
public enum PictureFileKind: Equatable, Sendable {
    case y4m
    case pnm
    case heif
    case media
    case device

    /// A FIFO's first bytes cannot be looked at without taking them from its reader:
    /// it goes by name alone; a missing file too (the reader then says so).
    public static func of(path: String) -> PictureFileKind {
        var st = stat()
        if stat(path, &st) == 0 {
            if st.st_mode & S_IFMT == S_IFCHR { return .device }
            if let kind = byName(path) { return kind }
            if st.st_mode & S_IFMT == S_IFREG, let kind = bySignature(path) { return kind }
            return .media
        }
        if path.hasPrefix("/dev/") { return .device }
        return byName(path) ?? .media
    }

    static func bySignature(_ path: String) -> PictureFileKind? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var head = [UInt8](repeating: 0, count: 12)
        let n = fread(&head, 1, head.count, f)
        return bySignature(Array(head.prefix(n)))
    }

    static func bySignature(_ head: [UInt8]) -> PictureFileKind {
        if head.starts(with: Array("YUV4MPEG2".utf8)) { return .y4m }
        // P2/P3/P5/P6: the kinds our PNM reader reads (bitmaps, P1/P4, go to FFmpeg).
        if head.count >= 2, head[0] == UInt8(ascii: "P"), Array("2356".utf8).contains(head[1]) {
            return .pnm
        }
        if HEIFImage.hasSignature(head) { return .heif }
        return .media
    }

    static func byName(_ path: String) -> PictureFileKind? {
        let lower = path.lowercased()
        if lower.hasSuffix(".y4m") { return .y4m }
        if [".pgm", ".ppm", ".pnm"].contains(where: lower.hasSuffix) { return .pnm }
        return nil
    }
}
