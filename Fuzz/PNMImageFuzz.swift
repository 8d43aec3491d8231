/// libFuzzer target: any bytes as a PGM/PPM file. Built by scripts/fuzz.sh together
/// with the FrameIO sources it exercises.
@_cdecl("LLVMFuzzerTestOneInput")
public func pnmImageFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let frame = try? PNMImage.decode(bytes, path: "fuzz.pnm") {
        precondition(frame.luma.count == frame.width * frame.height, "luma plane does not match the frame size")
    }
    return 0
}
