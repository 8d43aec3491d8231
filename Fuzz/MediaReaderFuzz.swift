/// libFuzzer target: any bytes as a clip or photo read through FFmpeg (from memory, the
/// same reads and checks as a file), up to 16 frames, then a step back; a HEIF or AVIF
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
    if frames > 1, reader.seek(fromLastDeliveredBy: -1), let frame = try? reader.nextFrame() {
        precondition(frame.luma.count == frame.width * frame.height, "luma plane does not match the frame size after a seek")
    }
    return 0
}
