/// A bounds-checked reading position in a container's bytes: every read first checks
/// that the bytes are there (before `end`, the CRC), and says what it was reading when
/// they are not, so a cut or lying file becomes `.truncated(what)`, never a trap.
struct RPMCursor {
    let raw: UnsafeRawBufferPointer
    let end: Int
    let path: String
    private(set) var offset: Int

    init(_ raw: UnsafeRawBufferPointer, from offset: Int, end: Int, path: String) {
        self.raw = raw
        self.offset = offset
        self.end = end
        self.path = path
    }

    var remaining: Int { end - offset }

    func fail(_ reason: ModelFileError.Reason) -> ModelFileError { ModelFileError(path: path, reason: reason) }

    /// Checks that `count` more bytes are present; `what` names them in the error.
    func need(_ count: Int, _ what: @autoclosure () -> String) throws {
        if count < 0 || count > remaining { throw fail(.truncated(what())) }
    }

    mutating func u8(_ what: @autoclosure () -> String) throws -> UInt8 {
        try need(1, what())
        defer { offset += 1 }
        return raw[offset]
    }

    mutating func u16(_ what: @autoclosure () -> String) throws -> Int {
        try need(2, what())
        defer { offset += 2 }
        return Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self).littleEndian)
    }

    mutating func u32(_ what: @autoclosure () -> String) throws -> Int {
        try need(4, what())
        defer { offset += 4 }
        return Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
    }

    /// The next `count` bytes, as a view into the file (no copy).
    mutating func bytes(_ count: Int, _ what: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        try need(count, what())
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: raw[offset..<offset + count])
    }

    /// Skips the zero padding up to the next multiple of 4 from the start of the file.
    mutating func align4(_ what: @autoclosure () -> String) throws {
        try need((4 - offset % 4) % 4, what())
        offset = (offset + 3) & ~3
    }
}
