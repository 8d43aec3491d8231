/// What a clip or photo read through FFmpeg may cost before anything is decoded: the
/// header's dimensions are checked first, the decoders refuse larger pictures
/// themselves (`max_pixels`) before allocating them, and a file that keeps failing
/// is given up on.
public enum MediaLimits {
    /// Widest or tallest picture, as for .y4m.
    public static let maxSide = Y4MHeader.maxSide
    /// Most pixels in a picture: 4K UHD. A decoder keeps several pictures (an H.264
    /// stream up to ~6 at this size), so this keeps a hostile or merely huge clip under
    /// ~100 MB resident.
    public static let maxPixels = 3840 * 2160
    /// Bytes and microseconds FFmpeg may read while probing what the file is.
    public static let probeBytes: Int64 = 2 << 20
    public static let analyzeMicroseconds: Int64 = 2_000_000
    /// Packets a file whose streams appear only with their packets (MPEG program
    /// streams, FLV) may hold back while its picture stream is looked for, and their
    /// bytes (the probe's).
    public static let packetsBeforePictureStream = 500
    /// Packets of the picture stream that fail to decode in a row before the file is
    /// reported as damaged, and packets in a row that give no picture at all.
    public static let failuresInRow = 25
    public static let packetsWithoutPicture = 2000

    /// Nil when a `width` x `height` picture is within the limits, else why not.
    /// `reducible`: a JPEG photo, decoded at 1/2, 1/4 or 1/8 of its size where it has
    /// more than `maxPixels` (JPEGDimensions): only the side limit applies.
    static func refusal(width: Int, height: Int, reducible: Bool = false) -> String? {
        if width <= 0 || height <= 0 { return "its picture has no size (\(width)x\(height))" }
        if width > maxSide || height > maxSide {
            return "its \(width)x\(height) picture is above the \(maxSide)-pixel limit for a side"
        }
        if !reducible && width * height > maxPixels {
            return "its \(width)x\(height) picture is above the limit of \(maxPixels) pixels (3840x2160)"
        }
        return nil
    }
}
