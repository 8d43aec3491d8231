import CV4L2
#if canImport(Glibc)
import Glibc
#endif

/// Format negotiation: which pixel format and size the camera streams.
extension V4L2Camera {
    /// Picks the format and size (OfferedFormat: the requested size first, formats the
    /// device streams itself before converted ones) and sets them with S_FMT. A driver
    /// that does not enumerate its formats is asked for each of `requestOrder` at the
    /// requested size, taking the first usable answer.
    func negotiateFormat(width: Int, height: Int) throws {
        var substitutes: [String] = []
        if let offered = OfferedFormat.enumerate({ system.ioctl(fd, $0, $1) }) {
            for (format, size) in OfferedFormat.requestPlan(offered, width: width, height: height) {
                if try setFormat(format, width: size.width, height: size.height, substitutes: &substitutes) { return }
            }
            let names = offered.map { fourccName($0.fourcc) + ($0.emulated ? " (converted)" : "") }
            throw FrameSourceError(.noUsableFormat, path: devicePath,
                "no usable format (it offers \(names.joined(separator: ", ")); GREY, YUYV, UYVY, YU12, YV12, RGB3 or BGR3 "
                + "can be read, and libv4l2 converts MJPEG)")
        }
        for wanted in CapturePixelFormat.requestOrder {
            if try setFormat(wanted, width: width, height: height, substitutes: &substitutes) { return }
        }
        let what = substitutes.isEmpty ? "it accepted none of them" : "it offers \(substitutes.joined(separator: ", "))"
        throw FrameSourceError(.noUsableFormat, path: devicePath,
            "no usable format (asked for GREY, YUYV or YU12 at \(width)x\(height); \(what))")
    }

    /// S_FMT for one format and size. True when the driver settled on a format we can
    /// read (then it is taken); false when it refused or substituted one we cannot
    /// (named in `substitutes`).
    func setFormat(_ wanted: CapturePixelFormat, width: Int, height: Int,
                           substitutes: inout [String]) throws -> Bool {
        var fmt = v4l2_format()
        fmt.type = RC_V4L2_BUF_TYPE_VIDEO_CAPTURE
        fmt.fmt.pix.width = UInt32(width)
        fmt.fmt.pix.height = UInt32(height)
        fmt.fmt.pix.pixelformat = wanted.fourcc
        fmt.fmt.pix.field = RC_V4L2_FIELD_NONE   // progressive, please; checked below
        // TRY_FMT first: a format the driver would substitute with one we cannot read
        // is passed over without changing the device's state. Drivers without TRY_FMT
        // (it is optional) are asked with S_FMT directly.
        let tried = system.ioctl(fd, RC_VIDIOC_TRY_FMT, &fmt)
        if tried == EBUSY { throw busyError() }
        if tried == ENODEV { throw lostError(ENODEV) }
        if tried == 0, CapturePixelFormat(fourcc: fmt.fmt.pix.pixelformat) == nil {
            let name = fourccName(fmt.fmt.pix.pixelformat)
            if !substitutes.contains(name) { substitutes.append(name) }
            return false
        }
        let rc = system.ioctl(fd, RC_VIDIOC_S_FMT, &fmt)
        if rc == EBUSY { throw busyError() }
        if rc == ENODEV { throw lostError(ENODEV) }
        guard rc == 0 else { return false }
        let got = fmt.fmt.pix.pixelformat
        let gotWidth = Int(fmt.fmt.pix.width), gotHeight = Int(fmt.fmt.pix.height)
        guard let usable = CapturePixelFormat(fourcc: got), gotWidth > 0, gotHeight > 0 else {
            let name = fourccName(got)
            if !substitutes.contains(name) { substitutes.append(name) }
            return false
        }
        // What the driver says is checked like a file header: a buggy driver's
        // 4-billion-pixel answer must not overflow the buffer-size arithmetic.
        guard gotWidth <= V4L2Camera.maxSide, gotHeight <= V4L2Camera.maxSide else {
            throw FrameSourceError(.noUsableFormat, path: devicePath,
                "the driver settled on \(gotWidth)x\(gotHeight), above the \(V4L2Camera.maxSide)x\(V4L2Camera.maxSide) limit")
        }
        try checkField(fmt.fmt.pix.field)
        format = usable
        self.width = gotWidth
        self.height = gotHeight
        stride = max(Int(fmt.fmt.pix.bytesperline), usable.minimumStride(width: gotWidth))
        pixelFormatName = fourccName(got)
        return true
    }

    /// Accepts progressive frames (NONE, or ANY from drivers that do not say) and
    /// interlaced fields woven into whole frames (INTERLACED*: full height, combing on
    /// motion). Refuses sources that deliver one field per buffer or the fields one after
    /// the other, which would be half-height or doubled pictures.
    func checkField(_ field: UInt32) throws {
        switch field {
        case RC_V4L2_FIELD_ANY, RC_V4L2_FIELD_NONE, RC_V4L2_FIELD_INTERLACED,
             RC_V4L2_FIELD_INTERLACED_TB, RC_V4L2_FIELD_INTERLACED_BT:
            return
        default:
            let names: [UInt32: String] = [RC_V4L2_FIELD_TOP: "TOP", RC_V4L2_FIELD_BOTTOM: "BOTTOM",
                                           RC_V4L2_FIELD_SEQ_TB: "SEQ_TB", RC_V4L2_FIELD_SEQ_BT: "SEQ_BT",
                                           RC_V4L2_FIELD_ALTERNATE: "ALTERNATE"]
            throw FrameSourceError(.noUsableFormat, path: devicePath,
                "unsupported interlaced video (field order \(names[field] ?? "code \(field)")): only progressive or woven-interlaced frames are supported")
        }
    }
}
