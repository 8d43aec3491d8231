import Foundation

/// The `.rpm` container of MODEL_FORMAT.md: magic, version, JSON header, named tensors,
/// CRC-32. Parsing checks every length against the bytes actually present, so a
/// truncated or corrupt file fails with a one-line `ModelFileError` instead of a trap.
public struct RPMContainer: Sendable {
    public static let magic: [UInt8] = Array("RNNPOOL".utf8) + [0]
    /// Version 1: float32 weights. Version 2: the same plus int8 activation scales in
    /// the header (MODEL_FORMAT.md).
    public static let versions: ClosedRange<UInt32> = 1...2

    public var version: UInt32 = 1

    /// The decoded JSON header as raw bytes (decoded again by whoever needs a type).
    public var headerJSON: Data
    /// Tensors in file order.
    public var tensors: [StoredTensor]
    public var path: String

    public func tensor(_ name: String) -> StoredTensor? {
        tensors.first { $0.name == name }
    }

    public static func read(path: String) throws -> RPMContainer {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let why = FileManager.default.fileExists(atPath: path) ? "read failed" : "no such file"
            throw ModelFileError(path: path, reason: .unreadable(why))
        }
        return try parse(data, path: path)
    }

    public static func parse(_ data: Data, path: String) throws -> RPMContainer {
        try data.withUnsafeBytes { raw in try parse(raw, path: path) }
    }

    static func parse(_ raw: UnsafeRawBufferPointer, path: String) throws -> RPMContainer {
        func fail(_ r: ModelFileError.Reason) -> ModelFileError { ModelFileError(path: path, reason: r) }
        let n = raw.count
        if n < 8 || !zip(raw.prefix(8), magic).allSatisfy({ $0 == $1 }) {
            // A file shorter than the magic but matching its start is truncated, not foreign.
            if n < 8 && zip(raw, magic).allSatisfy({ $0 == $1 }) { throw fail(.truncated("magic")) }
            throw fail(.wrongMagic)
        }
        guard n >= 12 else { throw fail(.truncated("version")) }
        let version = raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian
        guard Self.versions.contains(version) else { throw fail(.unsupportedVersion(version)) }
        // The CRC is the last 4 bytes; everything else must fit before it.
        guard n >= 16 + 4 else { throw fail(.truncated("header length")) }
        let end = n - 4
        let stored = raw.loadUnaligned(fromByteOffset: end, as: UInt32.self).littleEndian
        let computed = CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<end]))

        var off = 12
        func need(_ count: Int, _ what: String) throws {
            // Structure is checked before the CRC: a cut-off file is then reported as
            // truncated (more useful than "checksum mismatch", which it also is).
            if count < 0 || off + count > end { throw fail(.truncated(what)) }
        }
        func u32() -> Int { defer { off += 4 }; return Int(raw.loadUnaligned(fromByteOffset: off, as: UInt32.self).littleEndian) }

        try need(4, "header length")
        let headerLen = u32()
        try need(headerLen, "JSON header")
        let header = Data(UnsafeRawBufferPointer(rebasing: raw[off..<off + headerLen]))
        off += headerLen
        try need(4, "tensor count")
        let count = u32()
        var tensors: [StoredTensor] = []
        var names = Set<String>()
        for i in 0..<count {
            try need(2, "name length of tensor \(i)")
            let nameLen = Int(raw.loadUnaligned(fromByteOffset: off, as: UInt16.self).littleEndian)
            off += 2
            try need(nameLen + 2, "name of tensor \(i)")
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: raw[off..<off + nameLen]), as: UTF8.self)
            off += nameLen
            let code = raw[off], rank = raw[off + 1]
            off += 2
            guard let dtype = TensorDType(rawValue: code) else { throw fail(.unknownDType(tensor: name, code: code)) }
            guard rank <= 4 else { throw fail(.badRank(tensor: name, rank: rank)) }
            try need(4 * Int(rank), "dims of tensor \(name)")
            var shape: [Int] = []
            for _ in 0..<Int(rank) { shape.append(u32()) }
            off = (off + 3) & ~3
            let elements = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
            let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.size)
            if overflow { throw fail(.truncated("data of tensor \(name)")) }
            try need(bytes, "data of tensor \(name)")
            var t = StoredTensor(name: name, dtype: dtype, shape: shape, floats: [], bytes: [])
            switch dtype {
            case .float32:
                t.floats = (0..<elements).map {
                    Float(bitPattern: raw.loadUnaligned(fromByteOffset: off + 4 * $0, as: UInt32.self).littleEndian)
                }
            case .int32:
                t.floats = (0..<elements).map {
                    Float(Int32(bitPattern: raw.loadUnaligned(fromByteOffset: off + 4 * $0, as: UInt32.self).littleEndian))
                }
            case .uint8:
                t.bytes = Array(UnsafeRawBufferPointer(rebasing: raw[off..<off + elements]))
                t.floats = t.bytes.map { Float($0) }
            }
            off += bytes
            off = (off + 3) & ~3
            if off > end { throw fail(.truncated("padding of tensor \(name)")) }
            guard names.insert(name).inserted else { throw fail(.duplicateTensor(name)) }
            tensors.append(t)
        }
        if stored != computed { throw fail(.checksumMismatch(stored: stored, computed: computed)) }
        if off != end { throw fail(.trailingBytes(end - off)) }
        return RPMContainer(version: version, headerJSON: header, tensors: tensors, path: path)
    }
}
