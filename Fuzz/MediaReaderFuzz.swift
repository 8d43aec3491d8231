/// libFuzzer target: any bytes as a clip or photo read through FFmpeg (from memory, the
/// same reads and checks as a file), up to 16 frames, then a step back and a seek
/// forward; a HEIF or AVIF
/// photo through libheif. Built by
/// scripts/fuzz.sh with the FrameIO sources; the fuzzer steers through our glue (FFmpeg
/// itself is not instrumented: it has its own fuzzing upstream).
@_cdecl("LLVMFuzzerTestOneInput")
public func mediaReaderFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // A HEIF or AVIF photo goes to libheif, as PictureFileKind sends it.
    if HEIFImage.hasSignature(Array(bytes.prefix(12))) {
        if let frame = try? HEIFImage.decode(bytes, path: "fuzz.heic") {
            precondition(frame.luma.count == frame.width * frame.height, "luma plane does not match the frame size")
            precondition(frame.width * frame.height <= MediaLimits.maxPixels, "a picture above the limit was delivered")
        }
        return 0
    }
    guard let reader = try? MediaReader(memory: bytes, name: "fuzz.media") else { return 0 }
    defer { reader.close() }
    var frames = 0
    while frames < 16, let frame = try? reader.nextFrame() {
        precondition(frame.luma.count == frame.width * frame.height, "luma plane does not match the frame size")
        precondition(frame.width * frame.height <= MediaLimits.maxPixels, "a picture above the limit was delivered")
        frames += 1
    }
    // A step back, then a seek forward past the frames played (a raw H.264 or HEVC
    // stream decodes on to it; others seek by time).
    for step in [-1, 3] where frames > 1 && reader.seek(fromLastDeliveredBy: step) {
        guard let frame = try? reader.nextFrame() else { break }
        precondition(frame.luma.count == frame.width * frame.height, "luma plane does not match the frame size after a seek")
    }
    return 0
}
