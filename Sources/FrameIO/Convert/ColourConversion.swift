/// RGB and packed-YUV pixels to the Frame's planes. Luma uses full-range BT.601
/// weights (as JPEG does), which is what a grayscale detector trained on photos expects.
public enum ColourConversion {
    @inline(__always)
    static func luma(_ r: Int, _ g: Int, _ b: Int) -> UInt8 {
        UInt8((19595 * r + 38470 * g + 7471 * b + 32768) >> 16)
    }

    @inline(__always)
    static func cb(_ r: Int, _ g: Int, _ b: Int) -> UInt8 {
        UInt8(clamping: (-11059 * r - 21709 * g + 32768 * b + 32768) >> 16 + 128)
    }

    @inline(__always)
    static func cr(_ r: Int, _ g: Int, _ b: Int) -> UInt8 {
        UInt8(clamping: (32768 * r - 27439 * g - 5329 * b + 32768) >> 16 + 128)
    }

    /// A frame from tightly packed RGB (or BGR) triples, with 4:4:4 chroma.
    public static func frameFromRGB(_ rgb: [UInt8], width: Int, height: Int, bgr: Bool,
                                    timestamp: Double = 0, index: Int = 0) -> Frame {
        rgb.withUnsafeBufferPointer { p in
            frameFromRGB(UnsafeRawBufferPointer(p), width: width, height: height, stride: width * 3,
                         bgr: bgr, timestamp: timestamp, index: index)
        }
    }

    /// A frame from RGB rows `stride` bytes apart (camera buffers may pad rows).
    static func frameFromRGB(_ src: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int,
                             bgr: Bool, timestamp: Double, index: Int) -> Frame {
        let n = width * height
        var y = [UInt8](repeating: 0, count: n)
        var u = [UInt8](repeating: 128, count: n)
        var v = [UInt8](repeating: 128, count: n)
        let ri = bgr ? 2 : 0, bi = bgr ? 0 : 2
        for row in 0..<height {
            let base = row * stride
            for col in 0..<width {
                let o = base + col * 3
                let r = Int(src[o + ri]), g = Int(src[o + 1]), b = Int(src[o + bi])
                let i = row * width + col
                y[i] = luma(r, g, b)
                u[i] = cb(r, g, b)
                v[i] = cr(r, g, b)
            }
        }
        return Frame(width: width, height: height, luma: y,
                     chroma: ChromaPlanes(subsampling: .c444, width: width, height: height, cb: u, cr: v),
                     timestamp: timestamp, index: index)
    }

    /// A frame from packed 4:2:2 (YUYV or UYVY), keeping the 4:2:2 chroma. Rows hold
    /// `width * 2` bytes; with an odd width the last pixel's pair is cut after its Cb, so
    /// its Cr repeats the pair before (or is neutral): nothing past the row is read.
    static func frameFromPacked422(_ src: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int,
                                   lumaFirst: Bool, timestamp: Double, index: Int) -> Frame {
        let cw = (width + 1) / 2, rowBytes = width * 2
        var y = [UInt8](repeating: 0, count: width * height)
        var u = [UInt8](repeating: 128, count: cw * height)
        var v = [UInt8](repeating: 128, count: cw * height)
        let yo = lumaFirst ? 0 : 1, co = lumaFirst ? 1 : 0
        for row in 0..<height {
            let base = row * stride
            for col in 0..<width {
                y[row * width + col] = src[base + col * 2 + yo]
            }
            for pair in 0..<cw {
                let o = pair * 4
                if o + co < rowBytes { u[row * cw + pair] = src[base + o + co] }
                if o + co + 2 < rowBytes {
                    v[row * cw + pair] = src[base + o + co + 2]
                } else if pair > 0 {
                    v[row * cw + pair] = v[row * cw + pair - 1]
                }
            }
        }
        return Frame(width: width, height: height, luma: y,
                     chroma: ChromaPlanes(subsampling: .c422, width: cw, height: height, cb: u, cr: v),
                     timestamp: timestamp, index: index)
    }

    /// Bytes between chroma rows of YU12/YV12: half the luma stride (V4L2), rounded up so
    /// that an odd width's (width + 1) / 2 chroma samples fit in a row.
    static func planar420ChromaStride(lumaStride stride: Int) -> Int { (stride + 1) / 2 }

    /// A frame from planar 4:2:0 (YU12, or YV12 with `swapped`), rows `stride` bytes
    /// apart and chroma rows half that (rounded up, for odd widths) apart.
    /// At odd sizes the chroma planes may be rounded down rather than up (how many
    /// bytes the buffer holds tells which): then their last column and row are repeated
    /// to the rounded-up size every frame has.
    static func frameFromPlanar420(_ src: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int,
                                   swapped: Bool, timestamp: Double, index: Int) -> Frame {
        let cw = (width + 1) / 2, ch = (height + 1) / 2
        let first = stride * height
        let roundedUp = src.count >= first + 2 * planar420ChromaStride(lumaStride: stride) * ch
        let cstride = roundedUp ? planar420ChromaStride(lumaStride: stride) : stride / 2
        let storedWidth = roundedUp ? cw : max(1, width / 2), storedRows = roundedUp ? ch : max(1, height / 2)
        var y = [UInt8](repeating: 0, count: width * height)
        for row in 0..<height {
            for col in 0..<width { y[row * width + col] = src[row * stride + col] }
        }
        // A buffer without whole chroma planes either way (a 1-pixel-wide picture):
        // the grey picture is what it holds.
        guard cstride > 0, src.count >= first + 2 * cstride * storedRows else {
            return Frame(width: width, height: height, luma: y, timestamp: timestamp, index: index)
        }
        var u = [UInt8](repeating: 128, count: cw * ch)
        var v = [UInt8](repeating: 128, count: cw * ch)
        let second = first + cstride * storedRows
        for row in 0..<ch {
            for col in 0..<cw {
                let at = min(row, storedRows - 1) * cstride + min(col, storedWidth - 1)
                let a = src[first + at]
                let b = src[second + at]
                u[row * cw + col] = swapped ? b : a
                v[row * cw + col] = swapped ? a : b
            }
        }
        return Frame(width: width, height: height, luma: y,
                     chroma: ChromaPlanes(subsampling: .c420, width: cw, height: ch, cb: u, cr: v),
                     timestamp: timestamp, index: index)
    }

    /// A frame from 8-bit grey rows `stride` bytes apart.
    static func frameFromGrey(_ src: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int,
                              timestamp: Double, index: Int) -> Frame {
        var y = [UInt8](repeating: 0, count: width * height)
        y.withUnsafeMutableBytes { dst in
            for row in 0..<height {
                dst.baseAddress!.advanced(by: row * width)
                    .copyMemory(from: src.baseAddress!.advanced(by: row * stride), byteCount: width)
            }
        }
        return Frame(width: width, height: height, luma: y, timestamp: timestamp, index: index)
    }
}
