/// The 8-bit YUV4MPEG2 colourspaces (`C` tag) that ffmpeg writes, and how each lays out
/// its planes after the luma plane.
public enum Y4MColourspace: String, Sendable, CaseIterable {
    case mono = "mono"
    case c420jpeg = "420jpeg"
    case c420mpeg2 = "420mpeg2"
    case c420paldv = "420paldv"
    case c420 = "420"
    case c411 = "411"
    case c422 = "422"
    case c444 = "444"
    case c444alpha = "444alpha"

    /// What a file without a `C` tag means (the YUV4MPEG2 default).
    public static let defaultWhenMissing: Y4MColourspace = .c420jpeg

    /// Size of each chroma plane as stored in the file, or nil for mono.
    func storedChromaSize(width: Int, height: Int) -> (width: Int, height: Int)? {
        switch self {
        case .mono: return nil
        case .c420jpeg, .c420mpeg2, .c420paldv, .c420: return ((width + 1) / 2, (height + 1) / 2)
        case .c411: return ((width + 3) / 4, height)
        case .c422: return ((width + 1) / 2, height)
        case .c444, .c444alpha: return (width, height)
        }
    }

    /// Bytes of one frame's payload (after the FRAME line).
    func frameBytes(width: Int, height: Int) -> Int {
        let luma = width * height
        guard let c = storedChromaSize(width: width, height: height) else { return luma }
        let alpha = self == .c444alpha ? luma : 0
        return luma + 2 * c.width * c.height + alpha
    }

    /// How the chroma is handed on in a `Frame`. 4:1:1 has no `ChromaSubsampling` case,
    /// so it is widened to 4:2:2 on the way in.
    var frameSubsampling: ChromaSubsampling? {
        switch self {
        case .mono: return nil
        case .c420jpeg, .c420mpeg2, .c420paldv, .c420: return .c420
        case .c411, .c422: return .c422
        case .c444, .c444alpha: return .c444
        }
    }
}
