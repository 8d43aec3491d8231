import CV4L2

/// What a camera says it can stream (VIDIOC_ENUM_FMT, then VIDIOC_ENUM_FRAMESIZES for
/// each format), and the order in which `V4L2Camera` asks for format and size.
///
/// Asking with S_FMT alone takes whatever the first acceptable answer is: a webcam
/// that streams YUYV only at small sizes would give 320x240 while its MJPEG (which
/// libv4l2 converts to YU12, listed as an emulated format) streams the requested
/// 640x480. So the size comes first: formats offered at the requested size, then at
/// the closest size; among those, formats the device streams itself before ones
/// libv4l2 makes from another, and then GREY, YUYV, YU12, the rest.
struct OfferedFormat {
    let fourcc: UInt32
    /// Made by libv4l2 from another format (V4L2_FMT_FLAG_EMULATED): costs a decode.
    let emulated: Bool
    let sizes: FrameSizes
}

/// A format's frame sizes: a list, a range with steps, or unknown (the driver does not
/// enumerate them; S_FMT will say).
enum FrameSizes: Equatable {
    case discrete([Size])
    case stepwise(minWidth: Int, maxWidth: Int, stepWidth: Int, minHeight: Int, maxHeight: Int, stepHeight: Int)
    case unknown

    struct Size: Equatable { var width: Int, height: Int }

    /// The offered size closest to `width × height` (exact when offered): fewest
    /// pixels away, ties to the larger.
    func closest(toWidth width: Int, height: Int) -> Size {
        switch self {
        case .unknown:
            return Size(width: width, height: height)
        case .stepwise(let w0, let w1, let sw, let h0, let h1, let sh):
            func snap(_ v: Int, _ lo: Int, _ hi: Int, _ step: Int) -> Int {
                let c = min(max(v, lo), hi)
                return step > 1 ? lo + (c - lo) / step * step : c
            }
            return Size(width: snap(width, w0, w1, sw), height: snap(height, h0, h1, sh))
        case .discrete(let list):
            let area = width * height
            return list.min { a, b in
                let da = abs(a.width * a.height - area), db = abs(b.width * b.height - area)
                return da != db ? da < db : a.width * a.height > b.width * b.height
            } ?? Size(width: width, height: height)
        }
    }
}

extension OfferedFormat {
    /// The most formats and sizes read from a driver (a broken one may never say EINVAL).
    static let enumerationLimit = 256

    /// The device's formats and their sizes, or nil when it does not enumerate them
    /// (then S_FMT alone negotiates, as before).
    static func enumerate(_ ioctl: (UInt, UnsafeMutableRawPointer) -> Int32) -> [OfferedFormat]? {
        var formats: [OfferedFormat] = []
        for index in 0..<enumerationLimit {
            var d = v4l2_fmtdesc()
            d.index = UInt32(index)
            d.type = RC_V4L2_BUF_TYPE_VIDEO_CAPTURE
            guard ioctl(RC_VIDIOC_ENUM_FMT, &d) == 0 else { break }
            formats.append(OfferedFormat(fourcc: d.pixelformat, emulated: d.flags & RC_V4L2_FMT_FLAG_EMULATED != 0,
                                         sizes: frameSizes(d.pixelformat, ioctl)))
        }
        return formats.isEmpty ? nil : formats
    }

    private static func frameSizes(_ fourcc: UInt32, _ ioctl: (UInt, UnsafeMutableRawPointer) -> Int32) -> FrameSizes {
        var list: [FrameSizes.Size] = []
        for index in 0..<enumerationLimit {
            var f = v4l2_frmsizeenum()
            f.index = UInt32(index)
            f.pixel_format = fourcc
            guard ioctl(RC_VIDIOC_ENUM_FRAMESIZES, &f) == 0 else { break }
            if f.type == RC_V4L2_FRMSIZE_TYPE_DISCRETE {
                let w = Int(f.discrete.width), h = Int(f.discrete.height)
                if w > 0, h > 0, w <= V4L2Camera.maxSide, h <= V4L2Camera.maxSide { list.append(.init(width: w, height: h)) }
            } else if index == 0 {
                let s = f.stepwise
                let sizes = [s.min_width, s.max_width, s.min_height, s.max_height].map { Int($0) }
                guard sizes.allSatisfy({ $0 > 0 && $0 <= V4L2Camera.maxSide }), sizes[0] <= sizes[1], sizes[2] <= sizes[3] else {
                    return .unknown
                }
                return .stepwise(minWidth: sizes[0], maxWidth: sizes[1], stepWidth: max(1, Int(s.step_width)),
                                 minHeight: sizes[2], maxHeight: sizes[3], stepHeight: max(1, Int(s.step_height)))
            }
        }
        return list.isEmpty ? .unknown : .discrete(list)
    }

    /// (format, size) pairs to ask for, best first: every offered format we can turn
    /// into a Frame, at its size closest to the request.
    static func requestPlan(_ offered: [OfferedFormat], width: Int, height: Int)
        -> [(format: CapturePixelFormat, size: FrameSizes.Size)] {
        let preference: [CapturePixelFormat] = [.grey, .yuyv, .yuv420, .yvu420, .uyvy, .rgb24, .bgr24]
        let area = width * height
        var plan: [(format: CapturePixelFormat, size: FrameSizes.Size, key: [Int])] = []
        for o in offered {
            guard let f = CapturePixelFormat(fourcc: o.fourcc), !plan.contains(where: { $0.format == f }) else { continue }
            let s = o.sizes.closest(toWidth: width, height: height)
            let exact = s.width == width && s.height == height
            plan.append((f, s, [exact ? 0 : 1, abs(s.width * s.height - area), o.emulated ? 1 : 0,
                                preference.firstIndex(of: f) ?? preference.count]))
        }
        return plan.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.format, $0.size) }
    }
}
