import CFFmpeg

/// A decoded picture as a `Frame`: 8-bit full-range luma (as `ffmpeg -pix_fmt gray`
/// gives it), plus 4:2:0 chroma for a colour picture, so that `record --color` keeps it.
/// FFmpeg's swscale converts into a picture FFmpeg allocates (swscale writes past the end
/// of rows and planes that are packed tight: the fuzz target caught it corrupting the
/// heap), then the rows are copied into the frame's planes. The scaler and its output
/// picture are kept while the size and format last.
final class PictureConverter {
    private var converted: UnsafeMutablePointer<AVFrame>?
    private var scaler: OpaquePointer?

    /// nil when FFmpeg cannot allocate the output picture (FFmpeg must be loaded).
    init?() {
        guard let frame = av_frame_alloc() else { return nil }
        converted = frame
    }

    deinit {
        sws_freeContext(scaler)
        av_frame_free(&converted)
    }

    /// `decoded`'s `w` × `h` pixels as a frame (timestamp and index 0), or nil where
    /// swscale cannot convert its pixel format.
    func convert(_ decoded: UnsafeMutablePointer<AVFrame>, width w: Int, height h: Int) -> Frame? {
        let source = AVPixelFormat(rawValue: decoded.pointee.format)
        guard let desc = av_pix_fmt_desc_get(source), let out = converted else { return nil }
        let colour = desc.pointee.nb_components > 2 || desc.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL) != 0
        let target = colour ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_GRAY8
        scaler = sws_getCachedContext(scaler, Int32(w), Int32(h), source, Int32(w), Int32(h), target,
                                      Int32(SWS_BICUBIC), nil, nil, nil)
        guard let scaler else { return nil }
        if out.pointee.width != Int32(w) || out.pointee.height != Int32(h) || out.pointee.format != target.rawValue {
            av_frame_unref(out)
            out.pointee.width = Int32(w)
            out.pointee.height = Int32(h)
            out.pointee.format = target.rawValue
            guard av_frame_get_buffer(out, 0) >= 0 else { return nil }
        }
        let data = decoded.pointee.data, lines = decoded.pointee.linesize
        var src: [UnsafePointer<UInt8>?] = [UnsafePointer(data.0), UnsafePointer(data.1), UnsafePointer(data.2), UnsafePointer(data.3)]
        var srcStride: [Int32] = [lines.0, lines.1, lines.2, lines.3]
        let o = out.pointee.data, ol = out.pointee.linesize
        var dst: [UnsafeMutablePointer<UInt8>?] = [o.0, o.1, o.2, o.3]
        var dstStride: [Int32] = [ol.0, ol.1, ol.2, ol.3]
        guard sws_scale(scaler, &src, &srcStride, 0, Int32(h), &dst, &dstStride) == Int32(h), let y = o.0 else { return nil }
        let luma = Self.packed(y, stride: Int(ol.0), width: w, height: h)
        var planes: ChromaPlanes?
        if colour, let u = o.1, let v = o.2 {
            let c = ChromaSubsampling.c420.planeSize(width: w, height: h)
            planes = ChromaPlanes(subsampling: .c420, width: c.width, height: c.height,
                                  cb: Self.packed(u, stride: Int(ol.1), width: c.width, height: c.height),
                                  cr: Self.packed(v, stride: Int(ol.2), width: c.width, height: c.height))
        }
        return Frame(width: w, height: h, luma: luma, chroma: planes, timestamp: 0, index: 0)
    }

    /// A plane's rows, `stride` bytes apart, as `width * height` packed bytes.
    private static func packed(_ plane: UnsafeMutablePointer<UInt8>, stride: Int, width w: Int, height h: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: w * h) { buffer, count in
            for row in 0..<h { (buffer.baseAddress! + row * w).update(from: plane + row * stride, count: w) }
            count = w * h
        }
    }
}
