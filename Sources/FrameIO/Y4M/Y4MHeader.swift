import InputSafety

/// The stream header of a YUV4MPEG2 file: `YUV4MPEG2 W320 H240 F30:1 Ip A1:1 Cmono X...`.
public struct Y4MHeader: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// Frame rate as the rational the file states.
    public var fpsNumerator: Int
    public var fpsDenominator: Int
    /// `I` tag: p (progressive), t/b (interlaced), m (mixed), ? (unknown).
    public var interlacing: Character
    /// `A` tag (pixel aspect ratio), kept as written ("1:1", "0:0").
    public var aspect: String
    public var colourspace: Y4MColourspace
    /// `X` tags as written (without the X), in order.
    public var extensions: [String]

    public init(width: Int, height: Int, fpsNumerator: Int, fpsDenominator: Int,
                interlacing: Character = "p", aspect: String = "1:1",
                colourspace: Y4MColourspace, extensions: [String] = []) {
        self.width = width
        self.height = height
        self.fpsNumerator = fpsNumerator
        self.fpsDenominator = fpsDenominator
        self.interlacing = interlacing
        self.aspect = aspect
        self.colourspace = colourspace
        self.extensions = extensions
    }

    public static let magic = "YUV4MPEG2"
    /// Largest width or height accepted.
    public static let maxSide = 16384
    /// Largest frame payload accepted (8K 4:2:0 is 50 MB): a reader holds one frame.
    public static let maxFrameBytes = 64 << 20
    /// Largest frame-rate numerator or denominator (what ffmpeg's 32-bit rationals hold).
    public static let maxRatioTerm = Int(Int32.max)

    /// Frames per second; a file with F0:0 (unknown) plays at 25.
    public var fps: Double {
        guard fpsNumerator > 0, fpsDenominator > 0 else { return 25 }
        return Double(fpsNumerator) / Double(fpsDenominator)
    }

    public var frameBytes: Int { colourspace.frameBytes(width: width, height: height) }

    /// The header line, newline included.
    public var line: String {
        var s = "\(Y4MHeader.magic) W\(width) H\(height) F\(fpsNumerator):\(fpsDenominator) I\(interlacing) A\(aspect) C\(colourspace.rawValue)"
        for x in extensions { s += " X\(x)" }
        return s + "\n"
    }

    /// Parses the header line (without its newline). `path` only names the file in errors.
    public static func parse(_ line: String, path: String) throws -> Y4MHeader {
        var tokens = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let first = tokens.first, first == Substring(magic) else {
            throw FrameSourceError(.badMagic, path: path, "not a YUV4MPEG2 file (it does not start with \"\(magic) \")")
        }
        tokens.removeFirst()
        var width: Int?
        var height: Int?
        var fps = (25, 1)
        var interlacing: Character = "p"
        var aspect = "0:0"
        var colourspace = Y4MColourspace.defaultWhenMissing
        var extensions: [String] = []
        for token in tokens {
            let tag = token.first!
            let value = String(token.dropFirst())
            switch tag {
            case "W":
                guard let w = Int(value), w > 0, w <= maxSide else {
                    throw FrameSourceError(.badHeader, path: path, "bad width W\(Printable.excerpt(value)) in the YUV4MPEG2 header (1 to \(maxSide))")
                }
                width = w
            case "H":
                guard let h = Int(value), h > 0, h <= maxSide else {
                    throw FrameSourceError(.badHeader, path: path, "bad height H\(Printable.excerpt(value)) in the YUV4MPEG2 header (1 to \(maxSide))")
                }
                height = h
            case "F":
                guard let r = parseRatio(value), (0...maxRatioTerm).contains(r.0), (0...maxRatioTerm).contains(r.1) else {
                    throw FrameSourceError(.badHeader, path: path,
                        "bad frame rate F\(Printable.excerpt(value)) in the YUV4MPEG2 header (N:D with each term 0 to \(maxRatioTerm))")
                }
                fps = r
            case "I":
                guard value.count == 1, let c = value.first, "ptbm?".contains(c) else {
                    throw FrameSourceError(.badHeader, path: path, "bad interlacing tag I\(Printable.excerpt(value)) in the YUV4MPEG2 header")
                }
                interlacing = c
            case "A":
                aspect = value
            case "C":
                guard let cs = Y4MColourspace(rawValue: value) else {
                    throw FrameSourceError(.unsupportedColourspace, path: path,
                        "unsupported colourspace C\(Printable.excerpt(value)) (supported: \(Y4MColourspace.allCases.map(\.rawValue).joined(separator: ", ")); 8-bit only)")
                }
                colourspace = cs
            case "X":
                extensions.append(value)
            default:
                // The spec reserves other letters; readers must skip what they don't know.
                continue
            }
        }
        guard let w = width else {
            throw FrameSourceError(.missingDimension, path: path, "the YUV4MPEG2 header has no width (W tag)")
        }
        guard let h = height else {
            throw FrameSourceError(.missingDimension, path: path, "the YUV4MPEG2 header has no height (H tag)")
        }
        let frameBytes = colourspace.frameBytes(width: w, height: h)
        if frameBytes > maxFrameBytes {
            throw FrameSourceError(.badHeader, path: path,
                "a \(w)x\(h) C\(colourspace.rawValue) frame is \(ByteCount.text(frameBytes)), above the \(ByteCount.text(maxFrameBytes)) limit")
        }
        if interlacing == "t" || interlacing == "b" || interlacing == "m" {
            let name = ["t": "top field first", "b": "bottom field first", "m": "mixed"][interlacing]!
            throw FrameSourceError(.unsupportedInterlacing, path: path,
                "unsupported interlacing I\(interlacing) (\(name)); only progressive video (Ip) is supported")
        }
        return Y4MHeader(width: w, height: h, fpsNumerator: fps.0, fpsDenominator: fps.1,
                         interlacing: interlacing, aspect: aspect, colourspace: colourspace,
                         extensions: extensions)
    }

    private static func parseRatio(_ s: String) -> (Int, Int)? {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int(parts[0]), let d = Int(parts[1]) else { return nil }
        return (n, d)
    }

    /// A frame rate as the rational YUV4MPEG2 wants: 30 → 30:1, 29.97 → 30000:1001.
    public static func ratio(forFPS fps: Double) -> (Int, Int) {
        // Rates the header cannot state say 25, what readers assume for an unknown rate.
        guard fps.isFinite, fps > 0, fps <= Double(maxRatioTerm) / 1000 else { return (25, 1) }
        if fps == fps.rounded() { return (Int(fps), 1) }
        for base in [24.0, 30.0, 60.0, 120.0] where abs(fps - base * 1000 / 1001) < 0.001 {
            return (Int(base) * 1000, 1001)
        }
        // Three decimals of the rate, or of the period for rates below one a second
        // (one frame an hour is 1:3600, not 0:1).
        var n: Int, d: Int
        if fps >= 1 {
            (n, d) = (Int((fps * 1000).rounded()), 1000)
        } else {
            guard let period = Checked.int((1000 / fps).rounded(), in: 1...maxRatioTerm) else { return (25, 1) }
            (n, d) = (1000, period)
        }
        var a = n, b = d
        while b != 0 { (a, b) = (b, a % b) }
        n /= a; d /= a
        return (n, d)
    }
}
