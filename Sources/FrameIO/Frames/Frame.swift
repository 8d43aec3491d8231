/// One picture as it enters rnnpool-cam: the seam every source (camera, .y4m replay,
/// still image) delivers through. The detector reads only the 8-bit luma plane;
/// chroma is kept where the source has it so that recordings can stay in colour.
public struct Frame: Sendable {
    /// Width and height of the luma plane in pixels.
    public var width: Int
    public var height: Int
    /// Row-major luma, exactly `width * height` bytes (no row padding).
    public var luma: [UInt8]
    /// Chroma planes when the source has colour; `nil` for monochrome sources.
    public var chroma: ChromaPlanes?
    /// Seconds since the source started (capture time for a camera, presentation
    /// time from the frame rate for a recording).
    public var timestamp: Double
    /// 0-based position of this frame in its source.
    public var index: Int
    /// True for the first frame after the source jumped (a replay starting over with
    /// `--loop`): the frames before it are not its past, so tracks must not carry over.
    public var startsNewPass: Bool
    /// The picture's own size where it was decoded smaller (a JPEG photo above
    /// `MediaLimits.maxPixels`, at 1/2, 1/4 or 1/8 of it): boxes found in this frame map
    /// to the photo's pixels by the ratio of the two. Nil for a frame at full size.
    public var reducedFrom: (width: Int, height: Int)?

    public init(width: Int, height: Int, luma: [UInt8], chroma: ChromaPlanes? = nil,
                timestamp: Double, index: Int, startsNewPass: Bool = false) {
        precondition(width > 0 && height > 0 && luma.count == width * height,
                     "luma plane must hold width*height bytes")
        self.width = width
        self.height = height
        self.luma = luma
        self.chroma = chroma
        self.timestamp = timestamp
        self.index = index
        self.startsNewPass = startsNewPass
    }
}

/// How chroma is subsampled relative to luma, in YUV4MPEG2's terms.
public enum ChromaSubsampling: String, Sendable, CaseIterable {
    case c420 = "420"   // half width, half height
    case c422 = "422"   // half width, full height
    case c444 = "444"   // full resolution

    /// Size of one chroma plane for a luma plane of `width` x `height`.
    public func planeSize(width: Int, height: Int) -> (width: Int, height: Int) {
        switch self {
        case .c420: return ((width + 1) / 2, (height + 1) / 2)
        case .c422: return ((width + 1) / 2, height)
        case .c444: return (width, height)
        }
    }
}

/// The Cb and Cr planes of a colour frame.
public struct ChromaPlanes: Sendable, Equatable {
    public var subsampling: ChromaSubsampling
    public var width: Int
    public var height: Int
    public var cb: [UInt8]
    public var cr: [UInt8]

    public init(subsampling: ChromaSubsampling, width: Int, height: Int, cb: [UInt8], cr: [UInt8]) {
        precondition(cb.count == width * height && cr.count == width * height,
                     "chroma planes must hold width*height bytes each")
        self.subsampling = subsampling
        self.width = width
        self.height = height
        self.cb = cb
        self.cr = cr
    }
}
