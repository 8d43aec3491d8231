import CV4L2

/// The pixel formats the camera path can turn into a Frame: GREY and YUYV, which we ask
/// for, plus what drivers substitute and what libv4l2 converts MJPEG and vendor
/// formats into.
enum CapturePixelFormat: CaseIterable {
    case grey, yuyv, uyvy, yuv420, yvu420, rgb24, bgr24

    var fourcc: UInt32 {
        switch self {
        case .grey: return RC_V4L2_PIX_FMT_GREY
        case .yuyv: return RC_V4L2_PIX_FMT_YUYV
        case .uyvy: return RC_V4L2_PIX_FMT_UYVY
        case .yuv420: return RC_V4L2_PIX_FMT_YUV420
        case .yvu420: return RC_V4L2_PIX_FMT_YVU420
        case .rgb24: return RC_V4L2_PIX_FMT_RGB24
        case .bgr24: return RC_V4L2_PIX_FMT_BGR24
        }
    }

    init?(fourcc: UInt32) {
        guard let f = CapturePixelFormat.allCases.first(where: { $0.fourcc == fourcc }) else { return nil }
        self = f
    }

    /// What we ask for, in order: GREY (no conversion at all), YUYV (what most webcams
    /// stream uncompressed), then YU12, which libv4l2 produces from MJPEG.
    static let requestOrder: [CapturePixelFormat] = [.grey, .yuyv, .yuv420]

    /// Smallest bytes per row for a width.
    func minimumStride(width: Int) -> Int {
        switch self {
        case .grey, .yuv420, .yvu420: return width
        case .yuyv, .uyvy: return width * 2
        case .rgb24, .bgr24: return width * 3
        }
    }

    /// Bytes one picture takes at this stride (planar 4:2:0: chroma planes of half the
    /// width and height, rounded up).
    func imageBytes(stride: Int, height: Int) -> Int {
        switch self {
        case .yuv420, .yvu420:
            return stride * height + 2 * ColourConversion.planar420ChromaStride(lumaStride: stride) * ((height + 1) / 2)
        default: return stride * height
        }
    }

    /// The fewest bytes a buffer may hold for one picture: planar 4:2:0 at odd sizes may
    /// come with chroma planes rounded down instead (libv4l2's `bytesused` says which;
    /// ColourConversion reads either).
    func minimumImageBytes(stride: Int, height: Int) -> Int {
        switch self {
        case .yuv420, .yvu420: return stride * height + 2 * (stride / 2) * (height / 2)
        default: return stride * height
        }
    }

    func frame(from buffer: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int,
               timestamp: Double, index: Int) -> Frame {
        switch self {
        case .grey:
            return ColourConversion.frameFromGrey(buffer, width: width, height: height, stride: stride, timestamp: timestamp, index: index)
        case .yuyv, .uyvy:
            return ColourConversion.frameFromPacked422(buffer, width: width, height: height, stride: stride,
                                                       lumaFirst: self == .yuyv, timestamp: timestamp, index: index)
        case .yuv420, .yvu420:
            return ColourConversion.frameFromPlanar420(buffer, width: width, height: height, stride: stride,
                                                       swapped: self == .yvu420, timestamp: timestamp, index: index)
        case .rgb24, .bgr24:
            return ColourConversion.frameFromRGB(buffer, width: width, height: height, stride: stride,
                                                 bgr: self == .bgr24, timestamp: timestamp, index: index)
        }
    }
}

/// "YUYV" for 0x56595559: how V4L2 tools name pixel formats.
func fourccName(_ v: UInt32) -> String {
    let chars = (0..<4).map { i -> Character in
        let b = UInt8((v >> (8 * UInt32(i))) & 0xff)
        return (32...126).contains(b) ? Character(UnicodeScalar(b)) : "?"
    }
    return String(chars).trimmingTrailingSpaces()
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
