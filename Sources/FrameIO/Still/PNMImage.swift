#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import InputSafety

/// Netpbm still images: PGM (P2 text, P5 binary) and PPM (P3 text, P6 binary) with
/// comments and any maxval up to 255. Colour images keep full-resolution chroma so a
/// saved frame or recording can stay in colour; the detector reads the luma.
public enum PNMImage {
    /// Reads a PGM or PPM file as a frame (index 0, timestamp 0).
    public static func read(path: String) throws -> Frame {
        try decode(try readWholeFile(path), path: path)
    }

    /// Decodes a whole PGM/PPM file's bytes; `path` names it in errors.
    static func decode(_ bytes: [UInt8], path: String) throws -> Frame {
        if bytes.isEmpty {
            throw FrameSourceError(.emptyFile, path: path, "empty file (0 bytes), not a PGM/PPM image")
        }
        var scanner = PNMScanner(bytes: bytes, path: path)
        return try scanner.decode()
    }

    /// Writes the frame's luma plane as a binary PGM (P5, maxval 255).
    public static func writePGM(_ frame: Frame, to path: String) throws {
        var out = Array("P5\n\(frame.width) \(frame.height)\n255\n".utf8)
        out.append(contentsOf: frame.luma)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let code = errno
            throw FrameSourceError(.writeFailed, path: path, "cannot create the image: \(errnoText(code))")
        }
        defer { close(fd) }
        if let code = out.withUnsafeBytes({ writeFully(fd, $0) }) {
            throw FrameSourceError(.writeFailed, path: path, "write failed: \(errnoText(code))")
        }
    }

    /// Largest file read (a 16384x16384 PGM would be 256 MiB; images that large are
    /// refused rather than read).
    public static let maxFileBytes = 64 << 20

    static func readWholeFile(_ path: String) throws -> [UInt8] {
        let f = try openForReading(path, expecting: "an image file")
        defer { fclose(f) }
        do {
            return try InputSafety.readWholeFile(descriptor: fileno(f), limit: maxFileBytes)
        } catch .tooLarge(let limit) {
            throw FrameSourceError(.tooLarge, path: path, "larger than the \(ByteCount.text(limit)) limit for an image")
        } catch {
            throw FrameSourceError(.unreadable, path: path, error.text)
        }
    }
}

/// Walks a PNM file's bytes: header tokens with `#` comments, then the raster.
private struct PNMScanner {
    let bytes: [UInt8]
    let path: String
    var pos = 0

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    mutating func decode() throws -> Frame {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"),
              let kind = Optional(bytes[1]), [UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "5"), UInt8(ascii: "6")].contains(kind) else {
            let hint = bytes.count >= 2 && bytes[0] == UInt8(ascii: "P") && [UInt8(ascii: "1"), UInt8(ascii: "4"), UInt8(ascii: "7")].contains(bytes[1])
                ? " (P1/P4 bitmaps and P7 PAM are not supported)" : ""
            throw FrameSourceError(.badMagic, path: path, "not a PGM or PPM image (expected P2, P3, P5 or P6 at the start)\(hint)")
        }
        pos = 2
        let ascii = kind == UInt8(ascii: "2") || kind == UInt8(ascii: "3")
        let colour = kind == UInt8(ascii: "3") || kind == UInt8(ascii: "6")
        let width = try headerNumber("width")
        let height = try headerNumber("height")
        let maxval = try headerNumber("maxval")
        guard width > 0, height > 0, width <= 16384, height <= 16384 else {
            throw FrameSourceError(.badHeader, path: path, "bad image size \(width)x\(height)")
        }
        guard maxval >= 1 else {
            throw FrameSourceError(.badHeader, path: path, "bad maxval \(maxval)")
        }
        guard maxval <= 255 else {
            throw FrameSourceError(.unsupportedMaxval, path: path, "maxval \(maxval) means 16-bit samples; only 8-bit images (maxval up to 255) are supported")
        }
        let channels = colour ? 3 : 1
        let count = width * height * channels
        // Allocate only what the file can hold: a header alone can claim 805 MB.
        if ascii {
            // Every sample takes at least a digit and a separator (the last no separator).
            let room = (bytes.count - pos + 1) / 2
            guard room >= count else {
                throw FrameSourceError(.truncated, path: path,
                    "the file was cut: room for at most \(room) of \(count) samples")
            }
        } else {
            guard bytes.count - pos - 1 >= count else {
                throw FrameSourceError(.truncated, path: path, "the file was cut: \(max(0, bytes.count - pos - 1)) of \(count) raster bytes present")
            }
        }
        // The raster is checked whole before the samples are allocated, so a file refused
        // for its last sample never costs its size twice in memory.
        let rasterStart = pos
        if ascii {
            for i in 0..<count {
                guard let v = try asciiSample() else {
                    throw FrameSourceError(.truncated, path: path, "the file was cut: \(i) of \(count) samples present")
                }
                guard v <= maxval else {
                    throw FrameSourceError(.badHeader, path: path, "sample \(v) exceeds maxval \(maxval)")
                }
            }
        } else if maxval < 255, let bad = bytes[(pos + 1)..<(pos + 1 + count)].first(where: { Int($0) > maxval }) {
            throw FrameSourceError(.badHeader, path: path, "sample \(bad) exceeds maxval \(maxval)")
        }
        var samples = [UInt8](repeating: 0, count: count)
        if ascii {
            pos = rasterStart
            for i in 0..<count { samples[i] = UInt8(try asciiSample()!) }   // checked above
        } else {
            // Exactly one whitespace byte separates maxval from the raster.
            pos += 1
            samples.withUnsafeMutableBufferPointer { dst in
                bytes.withUnsafeBufferPointer { src in
                    dst.baseAddress!.update(from: src.baseAddress! + pos, count: count)
                }
            }
        }
        if maxval != 255 {
            for i in 0..<count { samples[i] = UInt8((Int(samples[i]) * 255 + maxval / 2) / maxval) }
        }
        if !colour {
            return Frame(width: width, height: height, luma: samples, timestamp: 0, index: 0)
        }
        return ColourConversion.frameFromRGB(samples, width: width, height: height, bgr: false)
    }

    mutating func skipSpaceAndComments() {
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "#") {
                while pos < bytes.count && bytes[pos] != 10 && bytes[pos] != 13 { pos += 1 }
            } else if b == 32 || b == 9 || b == 10 || b == 13 || b == 11 || b == 12 {
                pos += 1
            } else {
                return
            }
        }
    }

    mutating func readNumber() -> Int? {
        var value = 0
        var digits = 0
        while pos < bytes.count, bytes[pos] >= 48, bytes[pos] <= 57 {
            if value < 1_000_000 { value = value * 10 + Int(bytes[pos] - 48) }
            pos += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    mutating func headerNumber(_ what: String) throws -> Int {
        skipSpaceAndComments()
        guard pos < bytes.count else {
            throw FrameSourceError(.badHeader, path: path, "the header ends before the \(what)")
        }
        guard let v = readNumber() else {
            throw FrameSourceError(.badHeader, path: path, "the header has no valid \(what)")
        }
        return v
    }

    mutating func asciiSample() throws -> Int? {
        skipSpaceAndComments()
        guard pos < bytes.count else { return nil }
        guard let v = readNumber() else {
            throw FrameSourceError(.badHeader, path: path, "unexpected byte in the text raster at offset \(pos)")
        }
        return v
    }
}
