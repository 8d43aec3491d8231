import Foundation

/// libFuzzer target: any bytes as a `.rpm` model. The trailing CRC is recomputed first,
/// or nearly every mutation would stop at "checksum mismatch" and the parser behind it
/// would go unexplored. A file that loads is also built into a detector and run on one
/// small frame, since some hostile values (top_k) only bite there. Built by
/// scripts/fuzz.sh together with the RNNPoolEngine sources.
@_cdecl("LLVMFuzzerTestOneInput")
public func modelLoaderFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var bytes = Data(UnsafeRawBufferPointer(start: data, count: size))
    if size >= 20 {
        let crc = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<size - 4])) }
        withUnsafeBytes(of: crc.littleEndian) { bytes.replaceSubrange(size - 4..<size, with: $0) }
    }
    guard let container = try? RPMContainer.parse(bytes, path: "fuzz.rpm"),
          let model = try? RNNPoolModel.from(container: container),
          let detector = try? RNNPoolDetector(model: model, ramCapBytes: 64 * 1024) else { return 0 }
    let frame = [UInt8](repeating: 128, count: 32 * 24)
    _ = frame.withUnsafeBufferPointer { try? detector.detect(luma: $0, width: 32, height: 24, threshold: 0.5) }
    return 0
}
