#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer target: any bytes as a .y4m file, every frame read (unpaced). Built by
/// scripts/fuzz.sh together with the FrameIO sources it exercises.
@_cdecl("LLVMFuzzerTestOneInput")
public func y4mReaderFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    // fmemopen wants a non-empty buffer it may keep using until fclose.
    let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(size, 1))
    defer { copy.deallocate() }
    copy.update(from: data, count: size)
    guard let f = fmemopen(copy, max(size, 1), "rb") else { return 0 }
    guard let reader = try? Y4MReader(file: f, path: "fuzz.y4m", pacing: false, loop: false) else { return 0 }
    defer { reader.close() }
    var frames = 0
    while frames < 64, let frame = try? reader.nextFrame() {
        precondition(frame.luma.count == frame.width * frame.height, "luma plane does not match the frame size")
        frames += 1
    }
    return 0
}
