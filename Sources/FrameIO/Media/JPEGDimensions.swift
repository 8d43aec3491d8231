/// A JPEG's width and height from its frame header (SOF), read from the file's bytes
/// before it is decoded: a photo larger than `MediaLimits.maxPixels` (any phone's or
/// camera's: 12 to 50 MP) is then decoded at 1/2, 1/4 or 1/8 of its size
/// (`MediaReader`), which FFmpeg's JPEG decoder does in its inverse DCT.
enum JPEGDimensions {
    /// (width, height) of the first frame header in `bytes` (a whole JPEG, SOI first),
    /// or nil where there is none before the scan data or the segments run past the end.
    static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> (width: Int, height: Int)? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var i = 2
        while i + 4 <= bytes.count {
            guard bytes[i] == 0xFF else { return nil }
            let marker = bytes[i + 1]
            if marker == 0xFF { i += 1; continue }                              // fill byte
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }   // no length
            if marker == 0xD9 || marker == 0xDA { return nil }                 // end or scan: no SOF before it
            let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            guard length >= 2 else { return nil }
            // SOF0-SOF15, but DHT (C4), JPG (C8) and DAC (CC) share the range.
            if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard length >= 7, i + 9 <= bytes.count else { return nil }
                let height = Int(bytes[i + 5]) << 8 | Int(bytes[i + 6])
                let width = Int(bytes[i + 7]) << 8 | Int(bytes[i + 8])
                return width > 0 && height > 0 ? (width, height) : nil
            }
            i += 2 + length
        }
        return nil
    }

    /// The decoder's `lowres` for a `width` x `height` JPEG: the smallest k (0 to 3)
    /// whose 1/2^k picture is within `maxPixels`, or nil where even 1/8 is not.
    static func reduction(width: Int, height: Int, maxPixels: Int) -> Int? {
        for k in 0...3 {
            let w = (width + (1 << k) - 1) >> k, h = (height + (1 << k) - 1) >> k
            if w * h <= maxPixels { return k }
        }
        return nil
    }
}
