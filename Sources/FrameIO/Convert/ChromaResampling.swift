/// Chroma plane resampling between the layouts sources deliver and the 4:2:0 that
/// colour recordings store.
public enum ChromaResampling {
    /// 4:1:1 (quarter width) to 4:2:2 (half width) by repeating each sample twice.
    static func widen411(_ plane: [UInt8], storedWidth: Int, width: Int, height: Int) -> [UInt8] {
        var out = [UInt8](repeating: 128, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                out[y * width + x] = plane[y * storedWidth + min(x / 2, storedWidth - 1)]
            }
        }
        return out
    }

    /// Reduces a chroma plane of `width` x `height` by `fx` horizontally and `fy`
    /// vertically (1 or 2 each), averaging with rounding; edges repeat the last sample.
    static func reduce(_ plane: [UInt8], width: Int, height: Int, fx: Int, fy: Int) -> (plane: [UInt8], width: Int, height: Int) {
        if fx == 1 && fy == 1 { return (plane, width, height) }
        let ow = (width + fx - 1) / fx, oh = (height + fy - 1) / fy
        var out = [UInt8](repeating: 128, count: ow * oh)
        plane.withUnsafeBufferPointer { src in
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var sum = 0
                    for dy in 0..<fy {
                        let y = min(oy * fy + dy, height - 1)
                        for dx in 0..<fx {
                            let x = min(ox * fx + dx, width - 1)
                            sum += Int(src[y * width + x])
                        }
                    }
                    let n = fx * fy
                    out[oy * ow + ox] = UInt8((sum + n / 2) / n)
                }
            }
        }
        return (out, ow, oh)
    }

    /// The Cb and Cr planes of `frame` as 4:2:0 for a `width` x `height` picture;
    /// neutral grey chroma (128) when the frame is monochrome.
    public static func planes420(of frame: Frame) -> (cb: [UInt8], cr: [UInt8]) {
        let target = ChromaSubsampling.c420.planeSize(width: frame.width, height: frame.height)
        guard let c = frame.chroma else {
            let grey = [UInt8](repeating: 128, count: target.width * target.height)
            return (grey, grey)
        }
        let fx = c.width >= frame.width ? 2 : 1
        let fy = c.height >= frame.height ? 2 : 1
        var cb = reduce(c.cb, width: c.width, height: c.height, fx: fx, fy: fy)
        var cr = reduce(c.cr, width: c.width, height: c.height, fx: fx, fy: fy)
        // Guard against sources whose planes are not the size their subsampling implies.
        if cb.width != target.width || cb.height != target.height {
            cb = (resizeNearest(cb.plane, cb.width, cb.height, target.width, target.height), target.width, target.height)
            cr = (resizeNearest(cr.plane, cr.width, cr.height, target.width, target.height), target.width, target.height)
        }
        return (cb.plane, cr.plane)
    }

    static func resizeNearest(_ p: [UInt8], _ w: Int, _ h: Int, _ ow: Int, _ oh: Int) -> [UInt8] {
        var out = [UInt8](repeating: 128, count: ow * oh)
        for y in 0..<oh {
            let sy = min(y * h / max(oh, 1), h - 1)
            for x in 0..<ow {
                out[y * ow + x] = p[sy * w + min(x * w / max(ow, 1), w - 1)]
            }
        }
        return out
    }
}
