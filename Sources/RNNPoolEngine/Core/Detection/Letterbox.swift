/// The exact integer letterbox of NETWORK.md §1: box-average the source luma plane
/// into a `dw × dh` window centred on a black `width × height` canvas, or, when the
/// window is larger than the source, interpolate it bilinearly (8-bit weights), as
/// training enlarged its photos. Python's `scripts/train/letterbox.py` does the same
/// integer arithmetic, so both sides feed the network identical pixels.
public struct Letterbox: Sendable, Equatable {
    public let sourceWidth: Int, sourceHeight: Int
    public let width: Int, height: Int
    public let dw: Int, dh: Int, ox: Int, oy: Int

    /// `upscale` false keeps a source smaller than the canvas at its own size (scale at
    /// most 1), centred: for a network run larger than its model's input
    /// (`--input-size`; NETWORK.md §6b says why).
    public init(sourceWidth w0: Int, sourceHeight h0: Int, width: Int, height: Int, upscale: Bool = true) {
        sourceWidth = w0
        sourceHeight = h0
        self.width = width
        self.height = height
        let fit = min(Double(width) / Double(w0), Double(height) / Double(h0))
        let s = upscale ? fit : min(fit, 1)
        // .rounded() is round-half-away-from-zero, as the contract says.
        dw = max(1, Int((Double(w0) * s).rounded()))
        dh = max(1, Int((Double(h0) * s).rounded()))
        ox = (width - dw) / 2
        oy = (height - dh) / 2
    }

    /// Fills `dst` (width × height bytes) from `src` (sourceWidth × sourceHeight).
    public func apply(source src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>) {
        for y in 0..<height { fillRow(y, source: src, into: dst + y * width) }
    }

    /// Writes destination row `y` (width bytes) from the source rows its bins cover, and
    /// nothing else: the network streams its input a row at a time, so the letterboxed
    /// frame never has to exist whole (the same pixels as `apply`, row for row).
    public func fillRow(_ y: Int, source src: UnsafePointer<UInt8>, into row: UnsafeMutablePointer<UInt8>) {
        let w0 = sourceWidth, h0 = sourceHeight, yy = y - oy
        guard yy >= 0 && yy < dh else {
            row.update(repeating: 0, count: width)
            return
        }
        row.update(repeating: 0, count: ox)
        (row + ox + dw).update(repeating: 0, count: width - ox - dw)
        let d = row + ox
        if dw == w0 && dh == h0 {
            // Same size: every bin is one pixel, the mean is the pixel.
            d.update(from: src + yy * w0, count: w0)
            return
        }
        if dw > w0 || dh > h0 {
            fillEnlargedRow(yy, source: src, into: d)
            return
        }
        if w0 == 2 * dw && h0 == 2 * dh {
            // Exact 2:1 (640×480 cameras), the commonest case, unrolled.
            let a = src + 2 * yy * w0, b = a + w0
            for x in 0..<dw {
                let s = Int(a[2 &* x]) &+ Int(a[2 &* x &+ 1]) &+ Int(b[2 &* x]) &+ Int(b[2 &* x &+ 1])
                d[x] = UInt8(truncatingIfNeeded: (s &+ 2) >> 2)
            }
            return
        }
        if w0 % dw == 0 && h0 % dh == 0 && w0 / dw == h0 / dh {
            // Exact k:1 (640×480 → k = 2, 1280×720 → k = 4): every bin is a k×k block.
            let k = w0 / dw, n = k * k
            let top = src + k * yy * w0
            for x in 0..<dw {
                var sum = 0
                for sy in 0..<k {
                    let p = top + (sy &* w0 &+ k &* x)
                    for sx in 0..<k { sum &+= Int(p[sx]) }
                }
                d[x] = UInt8(truncatingIfNeeded: Letterbox.roundedMean(sum, n))
            }
            return
        }
        let y0 = yy * h0 / dh, y1 = max((yy + 1) * h0 / dh, y0 + 1)
        // x0 = ⌊x·W0/dw⌋ advanced incrementally (quotient and remainder), so the inner
        // loop has no division.
        let stepQ = w0 / dw, stepR = w0 % dw
        var x0 = 0, r0 = 0
        for x in 0..<dw {
            var x1 = x0 &+ stepQ, r1 = r0 &+ stepR
            if r1 >= dw { x1 &+= 1; r1 &-= dw }
            let xe = max(x1, x0 &+ 1)
            var sum = 0
            for sy in y0..<y1 {
                let srow = src + sy &* w0
                for sx in x0..<xe { sum &+= Int(srow[sx]) }
            }
            let n = (y1 &- y0) &* (xe &- x0)
            d[x] = UInt8(truncatingIfNeeded: Letterbox.roundedMean(sum, n))
            x0 = x1
            r0 = r1
        }
    }

    /// An enlarged window row: each pixel bilinearly interpolated from the 2×2 source
    /// pixels around its centre. Nearest-pixel bins (what the box average becomes when
    /// a bin is one pixel) showed the network blocky faces; training enlarged its
    /// photos smoothly (PIL's bilinear), and so does this (NETWORK.md §1).
    private func fillEnlargedRow(_ yy: Int, source src: UnsafePointer<UInt8>, into d: UnsafeMutablePointer<UInt8>) {
        let w0 = sourceWidth
        let (j0, fy) = Letterbox.tap((2 &* yy &+ 1) &* sourceHeight &- dh, window: dh, source: sourceHeight)
        let a = src + j0 &* w0, b = src + min(j0 &+ 1, sourceHeight &- 1) &* w0
        // (256 − f)·p + f·p' is written 256·p + f·(p' − p): the same integers, fewer
        // multiplies. A pixel whose column is clamped to an edge has f = 0.
        @inline(__always) func blend(_ i0: Int, _ i1: Int, _ fx: Int) -> UInt8 {
            let top = Int(a[i0]) &<< 8 &+ fx &* (Int(a[i1]) &- Int(a[i0]))
            let bottom = Int(b[i0]) &<< 8 &+ fx &* (Int(b[i1]) &- Int(b[i0]))
            return UInt8(truncatingIfNeeded: (top &<< 8 &+ fy &* (bottom &- top) &+ 0x8000) >> 16)
        }
        // The column taps advance by 2·w0 in the numerator of the centre's position:
        // columns left of source pixel 0's centre repeat it; then one division, and
        // quotient and remainder stepped (more than one step a pixel only where this
        // axis is not itself enlarged); columns right of the last centre repeat it.
        let den = 2 &* dw, k = Letterbox.weightScale(den), step = 2 &* w0, last = w0 &- 1
        var num = w0 &- dw, x = 0
        while x < dw && num <= 0 {
            d[x] = blend(0, 0, 0)
            num &+= step
            x &+= 1
        }
        var q = num / den, r = num % den
        while x < dw && q < last {
            d[x] = blend(q, q &+ 1, (r &* k &+ 0x8000) >> 16)
            r &+= step
            while r >= den { r &-= den; q &+= 1 }
            x &+= 1
        }
        while x < dw {
            d[x] = blend(last, last, 0)
            x &+= 1
        }
    }

    /// One axis's bilinear tap for a destination pixel whose centre, in source pixels
    /// less half a pixel, is num / (2·window): the left (upper) source pixel and the
    /// right one's weight in 256ths, clamped to the edge pixels. Integer-exact (the
    /// products stay below 2^25, so 32-bit `Int` on the Cortex-M4 suffices).
    @inline(__always)
    static func tap(_ num: Int, window: Int, source n0: Int) -> (index: Int, weight: Int) {
        guard num > 0 else { return (0, 0) }
        let den = 2 &* window, q = num / den
        guard q < n0 &- 1 else { return (n0 &- 1, 0) }
        return (q, ((num % den) &* weightScale(den) &+ 0x8000) >> 16)
    }

    /// round(2^24 / den): the remainder's weight is (r · this + 2^15) >> 16 ≈ 256·r/den.
    @inline(__always)
    static func weightScale(_ den: Int) -> Int { ((1 << 24) &+ den >> 1) / den }

    /// (sum + n/2) / n in integers, without a hardware division in the common cases:
    /// n = 1 (same size), n a power of two (2:1, 4:1 downscales: a shift), otherwise a
    /// multiply by 1/n in double precision, corrected to the exact integer quotient.
    @inline(__always)
    static func roundedMean(_ sum: Int, _ n: Int) -> Int {
        let num = sum &+ n >> 1
        if n & (n &- 1) == 0 { return num >> n.trailingZeroBitCount }
        var q = Int(Double(num) * (1.0 / Double(n)))
        if q &* n > num { q &-= 1 } else if (q &+ 1) &* n <= num { q &+= 1 }
        return q
    }

    /// Maps an (x, y, w, h) box in network pixels back to source pixels: clip to the
    /// network frame, undo offset and scale, clip to the source frame.
    public func toSource(x: Float, y: Float, w: Float, h: Float) -> (x: Float, y: Float, w: Float, h: Float) {
        func clip(_ v: Double, _ hi: Double) -> Double { min(max(v, 0), hi) }
        let fw = Double(width), fh = Double(height)
        var x1 = clip(Double(x), fw), y1 = clip(Double(y), fh)
        var x2 = clip(Double(x) + Double(w), fw), y2 = clip(Double(y) + Double(h), fh)
        let sx = Double(sourceWidth) / Double(dw), sy = Double(sourceHeight) / Double(dh)
        x1 = clip((x1 - Double(ox)) * sx, Double(sourceWidth))
        x2 = clip((x2 - Double(ox)) * sx, Double(sourceWidth))
        y1 = clip((y1 - Double(oy)) * sy, Double(sourceHeight))
        y2 = clip((y2 - Double(oy)) * sy, Double(sourceHeight))
        return (Float(x1), Float(y1), Float(x2 - x1), Float(y2 - y1))
    }
}
