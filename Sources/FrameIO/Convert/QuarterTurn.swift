/// A picture turned by quarter turns: how a phone clip filmed upright but stored sideways
/// is shown the right way up (its display matrix says so; ffmpeg's player turns it the
/// same way). The detector needs upright faces.
public enum QuarterTurn: Int, Sendable {
    case none = 0, clockwise = 1, half = 2, counterclockwise = 3

    /// From a display matrix's rotation (av_display_rotation_get: degrees counterclockwise),
    /// rounded to the nearest quarter turn, as ffmpeg's autorotate does.
    public init(displayRotation degrees: Double) {
        guard degrees.isFinite else { self = .none; return }
        let turns = Int((-degrees / 90).rounded()) % 4
        self = QuarterTurn(rawValue: (turns + 4) % 4) ?? .none
    }

    /// Whether the turned picture's width and height are the stored height and width.
    public var swapsSides: Bool { self == .clockwise || self == .counterclockwise }

    /// A `width` x `height` plane turned: its new width and height, and the bytes.
    public func apply(_ plane: [UInt8], width w: Int, height h: Int) -> (width: Int, height: Int, bytes: [UInt8]) {
        switch self {
        case .none:
            return (w, h, plane)
        case .half:
            return (w, h, Array(plane.reversed()))
        case .clockwise, .counterclockwise:
            var out = [UInt8](repeating: 0, count: plane.count)
            plane.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    for y in 0..<h {
                        for x in 0..<w {
                            // Clockwise: source column x becomes row x, row y column h-1-y.
                            let to = self == .clockwise ? x * h + (h - 1 - y) : (w - 1 - x) * h + y
                            dst[to] = src[y * w + x]
                        }
                    }
                }
            }
            return (h, w, out)
        }
    }

    /// The frame turned, chroma too.
    public func apply(_ frame: Frame) -> Frame {
        guard self != .none else { return frame }
        let luma = apply(frame.luma, width: frame.width, height: frame.height)
        var chroma: ChromaPlanes?
        // 4:2:0 and 4:4:4 stay what they are when turned; 4:2:2 would become a 4:4:0 that
        // frames do not carry, so its chroma is dropped (clips arrive as 4:2:0).
        if let c = frame.chroma, c.subsampling == .c420 || c.subsampling == .c444 {
            let cb = apply(c.cb, width: c.width, height: c.height), cr = apply(c.cr, width: c.width, height: c.height)
            chroma = ChromaPlanes(subsampling: c.subsampling, width: cb.width, height: cb.height, cb: cb.bytes, cr: cr.bytes)
        }
        return Frame(width: luma.width, height: luma.height, luma: luma.bytes, chroma: chroma,
                     timestamp: frame.timestamp, index: frame.index, startsNewPass: frame.startsNewPass)
    }
}
