import Foundation
import InputSafety

/// The `.rpm` container of MODEL_FORMAT.md: magic, version, JSON header, named tensors,
/// CRC-32. The file is read with a size bound, its CRC is checked before any of its
/// structure is believed, and every length is then checked against the bytes actually
/// present, so a corrupt, cut or hostile file fails with a one-line `ModelFileError`,
/// never a trap or a huge allocation.
public struct RPMContainer: Sendable {
    public static let magic: [UInt8] = Array("RNNPOOL".utf8) + [0]
    /// Container versions this build reads. A new version adds its number here and, where
    /// its records differ, a branch in `readTensor`. Version 2 has version 1's records;
    /// its header adds the int8 activation scales (MODEL_FORMAT.md).
    public static let supportedVersions: [UInt32] = [1, 2]

    public var version: UInt32
    /// The decoded JSON header as raw bytes (decoded again by whoever needs a type).
    public var headerJSON: Data
    /// Tensors in file order.
    public var tensors: [StoredTensor]
    public var path: String

    public func tensor(_ name: String) -> StoredTensor? {
        tensors.first { $0.name == name }
    }

    public static func read(path: String) throws -> RPMContainer {
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path, limit: RPMLimits.fileBytes)
        } catch {
            throw ModelFileError(path: path, reason: .unreadable(error.text))
        }
        return try bytes.withUnsafeBytes { try parse($0, path: path) }
    }

    public static func parse(_ data: Data, path: String) throws -> RPMContainer {
        guard data.count <= RPMLimits.fileBytes else {
            throw ModelFileError(path: path, reason: .unreadable(BoundedReadError.tooLarge(limit: RPMLimits.fileBytes).text))
        }
        return try data.withUnsafeBytes { raw in try parse(raw, path: path) }
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
        guard supportedVersions.contains(version) else { throw fail(.unsupportedVersion(version)) }
        // The CRC is the last 4 bytes; the smallest container has a header length and a
        // tensor count before it.
        guard n >= 20 else { throw fail(.truncated("header length")) }
        let end = n - 4
        // Checked before anything else is read: the structure of a corrupt file is
        // garbage, and messages built from garbage (lengths, names) only mislead.
        let stored = raw.loadUnaligned(fromByteOffset: end, as: UInt32.self).littleEndian
        let computed = CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<end]))
        if stored != computed { throw fail(.checksumMismatch(stored: stored, computed: computed)) }

        var cursor = RPMCursor(raw, from: 12, end: end, path: path)
        let headerLen = try cursor.u32("header length")
        if headerLen > RPMLimits.headerBytes {
            throw fail(.badHeader("\(headerLen) bytes, above the \(ByteCount.text(RPMLimits.headerBytes)) limit"))
        }
        let header = Data(try cursor.bytes(headerLen, "JSON header"))
        let count = try cursor.u32("tensor count")
        if count > RPMLimits.tensorCount {
            throw fail(.limitExceeded("\(count) tensors, above the limit of \(RPMLimits.tensorCount)"))
        }
        var tensors: [StoredTensor] = []
        var names = Set<String>()
        for i in 0..<count {
            let t = try readTensor(&cursor, index: i, version: version)
            guard names.insert(t.name).inserted else { throw fail(.duplicateTensor(t.name)) }
            tensors.append(t)
        }
        if cursor.remaining != 0 { throw fail(.trailingBytes(cursor.remaining)) }
        return RPMContainer(version: version, headerJSON: header, tensors: tensors, path: path)
    }

    /// One tensor record: name, dtype, rank, dims, padding, data, padding.
    private static func readTensor(_ c: inout RPMCursor, index i: Int, version: UInt32) throws -> StoredTensor {
        let nameLen = try c.u16("name length of tensor \(i)")
        let nameBytes = try c.bytes(nameLen, "name of tensor \(i)")
        guard (1...RPMLimits.nameBytes).contains(nameLen), nameBytes.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw c.fail(.badTensorName(index: i, excerpt: Printable.excerpt(bytes: nameBytes)))
        }
        let name = String(decoding: nameBytes, as: UTF8.self)
        let code = try c.u8("dtype of tensor \(name)")
        let rank = try c.u8("rank of tensor \(name)")
        guard let dtype = TensorDType(rawValue: code) else { throw c.fail(.unknownDType(tensor: name, code: code)) }
        guard Int(rank) <= RPMLimits.rank else { throw c.fail(.badRank(tensor: name, rank: rank)) }
        var shape: [Int] = []
        for _ in 0..<Int(rank) { shape.append(try c.u32("dims of tensor \(name)")) }
        try c.align4("padding of tensor \(name)")
        // Dims are u32, so the product of four can overflow Int: such a tensor cannot
        // be in a file of bounded size either.
        guard let elements = Checked.product(of: shape), let bytes = Checked.product(elements, dtype.size) else {
            throw c.fail(.truncated("data of tensor \(name)"))
        }
        let data = try c.bytes(bytes, "data of tensor \(name)")
        try c.align4("padding of tensor \(name)")
        return StoredTensor(name: name, dtype: dtype, shape: shape, data: data)
    }
}

extension StoredTensor {
    /// Decodes `data` (little-endian elements of `dtype`), already known to be
    /// `shape`'s element count times the element size.
    init(name: String, dtype: TensorDType, shape: [Int], data: UnsafeRawBufferPointer) {
        self.init(name: name, dtype: dtype, shape: shape, floats: [], bytes: [])
        let elements = data.count / dtype.size
        switch dtype {
        case .float32:
            floats = (0..<elements).map {
                Float(bitPattern: data.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian)
            }
        case .int32:
            floats = (0..<elements).map {
                Float(Int32(bitPattern: data.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian))
            }
        case .uint8:
            bytes = Array(data)
            floats = bytes.map { Float($0) }
        }
    }
}
