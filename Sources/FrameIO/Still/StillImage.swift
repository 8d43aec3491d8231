/// One picture from a file for `detect` and `bench`: a PGM/PPM through our reader, the
/// first frame of a .y4m, a HEIF or AVIF photo through libheif, anything else (JPEG,
/// PNG, WebP, BMP, TIFF, the first frame of a clip) through FFmpeg.
public enum StillImage {
    public static func read(path: String) throws -> Frame {
        switch PictureFileKind.of(path: path) {
        case .pnm:
            return try PNMImage.read(path: path)
        case .heif:
            return try HEIFImage.read(path: path)
        case .y4m:
            let reader = try Y4MReader(path: path, pacing: false)
            defer { reader.close() }
            return try firstFrame(of: reader, path: path)
        case .media:
            let reader = try MediaReader(path: path, pacing: false)
            defer { reader.close() }
            return try firstFrame(of: reader, path: path)
        case .device:
            throw FrameSourceError(.notAFile, path: path, "is a device, not an image file")
        }
    }

    private static func firstFrame(of source: any FrameSource, path: String) throws -> Frame {
        guard let frame = try source.nextFrame() else {
            throw FrameSourceError(.truncated, path: path, StopRequest.isRequested ? "stopped while reading it" : "holds no picture")
        }
        return frame
    }
}
