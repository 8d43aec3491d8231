import CHeifLoader
import InputSafety

/// HEIF and AVIF photos (an iPhone's .HEIC, an .AVIF) through libheif, which FFmpeg 5.1
/// cannot read: the primary image's luma, upright as the file says it is shown. A photo
/// above `MediaLimits.maxPixels` (an iPhone's 12 MP) is averaged down by a whole factor
/// to within it, its own size kept in `Frame.reducedFrom`, as a large JPEG is.
public enum HEIFImage {
    /// The major brands of HEIF and AVIF still images (the file's `ftyp` box).
    static let brands: Set<String> = ["heic", "heix", "heim", "heis", "mif1", "avif"]
    /// Most pixels decoded at all: a 50 MP photo (a phone's high-resolution mode).
    static let maxDecodedPixels = 8192 * 6144

    /// True for the first bytes of a HEIF or AVIF still image.
    static func hasSignature(_ head: [UInt8]) -> Bool {
        head.count >= 12 && Array(head[4..<8]) == Array("ftyp".utf8)
            && brands.contains(String(decoding: head[8..<12], as: UTF8.self))
    }

    public static func read(path: String) throws -> Frame {
        try decode(try PNMImage.readWholeFile(path), path: path)
    }

    /// A whole HEIF or AVIF file's bytes as a frame; `path` names it in errors (the fuzz
    /// target feeds memory here).
    static func decode(_ bytes: [UInt8], path: String) throws -> Frame {
        if bytes.isEmpty { throw FrameSourceError(.emptyFile, path: path, "empty file (0 bytes), not a HEIF or AVIF photo") }
        guard rc_heif_load() != 0 else {
            throw FrameSourceError(.unreadable, path: path, "cannot read HEIF or AVIF photos: libheif did not load ("
                                   + Printable.line(String(cString: rc_heif_load_error())) + "); on Debian: apt-get install libheif1")
        }
        var luma: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0, height: Int32 = 0
        var reason = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBytes {
            rc_heif_decode_luma($0.baseAddress, $0.count, Int32(MediaLimits.maxSide), maxDecodedPixels, &luma,
                                &width, &height, &reason, reason.count)
        }
        guard status == 0, let luma else {
            throw FrameSourceError(.badHeader, path: path, Printable.line(String(cString: reason)))
        }
        defer { rc_heif_free(luma) }
        return reduced(UnsafeBufferPointer(start: luma, count: Int(width) * Int(height)), width: Int(width),
                       height: Int(height), maxPixels: MediaLimits.maxPixels)
    }

    /// The picture averaged over f x f blocks (the edge blocks over the pixels they
    /// have), f the smallest whole factor that brings it within `maxPixels`.
    static func reduced(_ luma: UnsafeBufferPointer<UInt8>, width w: Int, height h: Int, maxPixels: Int) -> Frame {
        var f = 1
        while ((w + f - 1) / f) * ((h + f - 1) / f) > maxPixels { f += 1 }
        guard f > 1 else { return Frame(width: w, height: h, luma: Array(luma), timestamp: 0, index: 0) }
        let rw = (w + f - 1) / f, rh = (h + f - 1) / f
        var out = [UInt8](repeating: 0, count: rw * rh)
        var sums = [Int](repeating: 0, count: rw)
        for ry in 0..<rh {
            for i in sums.indices { sums[i] = 0 }
            let y0 = ry * f, y1 = min(h, y0 + f)
            for y in y0..<y1 {
                let row = y * w
                for x in 0..<w { sums[x / f] += Int(luma[row + x]) }
            }
            for rx in 0..<rw {
                let n = (min(w, rx * f + f) - rx * f) * (y1 - y0)
                out[ry * rw + rx] = UInt8((sums[rx] + n / 2) / n)
            }
        }
        var frame = Frame(width: rw, height: rh, luma: out, timestamp: 0, index: 0)
        frame.reducedFrom = (w, h)
        return frame
    }
}
