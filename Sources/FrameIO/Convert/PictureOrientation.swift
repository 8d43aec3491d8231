/// How a stored picture is shown: mirrored left-right or not, then turned. A phone photo
/// says it in its EXIF Orientation tag (stored as the sensor saw it, shown upright), a
/// phone clip in its display matrix (`QuarterTurn`). The detector needs upright faces,
/// and its boxes must land on the picture as the user sees it.
public struct PictureOrientation: Equatable, Sendable {
    public var mirrored: Bool
    public var turn: QuarterTurn

    public init(mirrored: Bool = false, turn: QuarterTurn = .none) {
        self.mirrored = mirrored
        self.turn = turn
    }

    /// EXIF Orientation 1–8 (TIFF 6.0): 2 mirrored, 3 half turn, 4 mirrored and turned
    /// (upside down), 5 transposed, 6 turned clockwise, 7 transversed, 8 turned
    /// counterclockwise; anything else as stored.
    public init(exif value: Int) {
        switch value {
        case 2: self.init(mirrored: true)
        case 3: self.init(turn: .half)
        case 4: self.init(mirrored: true, turn: .half)
        case 5: self.init(mirrored: true, turn: .counterclockwise)
        case 6: self.init(turn: .clockwise)
        case 7: self.init(mirrored: true, turn: .clockwise)
        case 8: self.init(turn: .counterclockwise)
        default: self.init()
        }
    }

    public func apply(_ frame: Frame) -> Frame {
        guard mirrored else { return turn.apply(frame) }
        var f = frame
        f.luma = Self.mirror(f.luma, width: f.width, height: f.height)
        if var c = f.chroma {
            c.cb = Self.mirror(c.cb, width: c.width, height: c.height)
            c.cr = Self.mirror(c.cr, width: c.width, height: c.height)
            f.chroma = c
        }
        return turn.apply(f)
    }

    /// Each row reversed.
    static func mirror(_ plane: [UInt8], width w: Int, height h: Int) -> [UInt8] {
        var out = plane
        for y in 0..<h { out[y * w..<(y + 1) * w].reverse() }
        return out
    }
}
