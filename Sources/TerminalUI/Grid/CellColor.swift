/// A cell's colour: an xterm-256 palette index (0-15 are the terminal's own 16
/// colours) or, on direct-colour terminals, 24-bit RGB. Integer literals are palette
/// indices, so the theme reads `226` for bright yellow.
public enum CellColor: Sendable, Hashable, ExpressibleByIntegerLiteral {
    case palette(UInt8)
    /// 0xRRGGBB.
    case rgb(UInt32)

    public init(integerLiteral value: UInt8) { self = .palette(value) }

    /// 0xRRGGBB as xterm shows it (16-colour entries as chafa assumes them), so
    /// direct-colour terminals and the error measurement see the same colour.
    public var packedRGB: UInt32 {
        switch self {
        case .rgb(let value): return value
        case .palette(let index): return Self.xtermRGB(index)
        }
    }

    /// Luma (BT.601, the weights the frames' Y uses) of the colour, 0-255.
    public var grey: Int {
        let rgb = packedRGB
        let r = Int(rgb >> 16) & 255, g = Int(rgb >> 8) & 255, b = Int(rgb) & 255
        return (299 * r + 587 * g + 114 * b + 500) / 1000
    }

    /// The xterm-256 palette: 16 system colours, a 6x6x6 cube, 24 greys.
    static func xtermRGB(_ index: UInt8) -> UInt32 {
        let i = Int(index)
        if i < 16 { return systemColours[i] }
        if i >= 232 {
            let level = UInt32(8 + 10 * (i - 232))
            return level << 16 | level << 8 | level
        }
        let cube = i - 16
        func step(_ n: Int) -> UInt32 { n == 0 ? 0 : UInt32(55 + 40 * n) }
        return step(cube / 36) << 16 | step((cube / 6) % 6) << 8 | step(cube % 6)
    }

    /// The 16 system colours: xterm's defaults, except the greys 7 and 8, which are
    /// taken as libchafa's 16-colour mode assumes them (it draws grey pictures with
    /// 0, 8, 7 and 15), so measuring a 16-colour picture uses chafa's own model.
    static let systemColours: [UInt32] = [
        0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xc0c0c0,
        0x404040, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
    ]
}
