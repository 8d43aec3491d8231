import Foundation
@testable import RNNPoolEngine

/// Builds `.rpm` containers byte by byte (MODEL_FORMAT.md), so tests can make valid
/// files and then break them in exactly one way.
struct RPMWriter {
    struct Entry {
        var name: String
        var dtype: UInt8 = 0
        var shape: [Int]
        var floats: [Float] = []
        var bytes: [UInt8] = []
    }

    var header: [String: Any]
    var entries: [Entry] = []
    var version: UInt32 = 1

    init(header: [String: Any]) { self.header = header }

    mutating func add(_ name: String, shape: [Int], values: [Float]? = nil) {
        let n = shape.reduce(1, *)
        entries.append(Entry(name: name, shape: shape, floats: values ?? (0..<n).map { Float($0 % 7) * 0.01 }))
    }

    func encode() throws -> Data {
        var d = Data("RNNPOOL".utf8) + Data([0])
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func pad() { while d.count % 4 != 0 { d.append(0) } }
        u32(version)
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while (16 + json.count) % 4 != 0 { json.append(0x20) }
        u32(UInt32(json.count))
        d.append(json)
        u32(UInt32(entries.count))
        for e in entries {
            let name = Data(e.name.utf8)
            withUnsafeBytes(of: UInt16(name.count).littleEndian) { d.append(contentsOf: $0) }
            d.append(name)
            d.append(e.dtype)
            d.append(UInt8(e.shape.count))
            for s in e.shape { u32(UInt32(s)) }
            pad()
            if e.dtype == 1 { d.append(contentsOf: e.bytes) } else { for f in e.floats { u32(f.bitPattern) } }
            pad()
        }
        let crc = d.withUnsafeBytes { CRC32.checksum($0) }
        u32(crc)
        return d
    }

    /// A small but complete architecture (one block, one head) and its tensors.
    static func tinyModel() -> RPMWriter {
        var w = RPMWriter(header: tinyHeader())
        let arch = try! JSONDecoder().decode(Architecture.self,
                                             from: JSONSerialization.data(withJSONObject: tinyHeader()))
        for (name, shape) in arch.expectedTensorShapes { w.add(name, shape: shape) }
        return w
    }

    static func tinyHeader() -> [String: Any] {
        [
            "kind": "model", "name": "tiny",
            "input": ["width": 64, "height": 48, "scale": 0.0078125, "offset": -1.0],
            "stem": ["out_channels": 4],
            "rnnpool": ["patch": 8, "stride": 4, "hidden1": 8, "hidden2": 8, "pad_to": [8, 6]],
            "blocks": [["expand": 2, "out_channels": 16, "stride": 1]],
            "heads": [["block": 0, "l2norm": true, "step": 8, "sizes": [12, 20], "background": 3]],
            "postprocess": ["variances": [0.1, 0.2], "nms_iou": 0.3, "score_threshold": 0.5,
                            "top_k": 50, "max_detections": 10],
            "training": ["note": "free-form, ignored"],
        ]
    }

    /// Writes the encoded bytes to a fresh temporary file and returns its path.
    func write(_ data: Data? = nil) throws -> String {
        let path = NSTemporaryDirectory() + "rpm-test-\(UUID().uuidString).rpm"
        try (data ?? encode()).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// Recomputes the trailing CRC so that a deliberately edited file fails for the edit,
/// not for the checksum.
func refreshCRC(_ d: Data) -> Data {
    var body = d.prefix(d.count - 4)
    let crc = body.withUnsafeBytes { CRC32.checksum($0) }
    withUnsafeBytes(of: crc.littleEndian) { body.append(contentsOf: $0) }
    return Data(body)
}
