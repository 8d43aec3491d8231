import InputSafety

/// Why a model or fixture file could not be used. Every case prints as one line that
/// names the file, so the CLI and the UI can show it as is.
public struct ModelFileError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Reason: Equatable, Sendable {
        case unreadable(String)
        case wrongMagic
        case unsupportedVersion(UInt32)
        case truncated(String)
        case checksumMismatch(stored: UInt32, computed: UInt32)
        case badHeader(String)
        case unknownDType(tensor: String, code: UInt8)
        case badRank(tensor: String, rank: UInt8)
        case duplicateTensor(String)
        case trailingBytes(Int)
        case missingTensor(String)
        case unexpectedTensor(String)
        case shapeMismatch(tensor: String, expected: [Int], found: [Int])
        case wrongDType(tensor: String, expected: String, found: String)
        case badArchitecture(String)
        case noActivationScales
        /// A tensor name that is empty, too long or not printable ASCII, shown escaped.
        case badTensorName(index: Int, excerpt: String)
        /// A count or size above the limits of MODEL_FORMAT.md.
        case limitExceeded(String)
    }

    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// One printable line: anything taken from the file was escaped where it was read,
    /// and this escapes once more as a backstop (and the path, which can hold anything).
    public var description: String {
        "\(Printable.excerpt(path, limit: 4096)): \(Printable.excerpt(reasonText, limit: 512))"
    }

    private var reasonText: String {
        switch reason {
        case .unreadable(let why): return "cannot read model file (\(why))"
        case .wrongMagic: return "not an RNNPool model file (wrong magic)"
        case .unsupportedVersion(let v):
            let known = RPMContainer.supportedVersions.map(String.init).joined(separator: ", ")
            return "unsupported model file version \(v) (this build reads version \(known))"
        case .truncated(let what): return "truncated file (ends inside \(what))"
        case .checksumMismatch(let stored, let computed):
            return "checksum mismatch (stored CRC-32 \(hex(stored)), computed \(hex(computed))): the file is corrupt or truncated"
        case .badHeader(let why): return "bad JSON header: \(why)"
        case .unknownDType(let t, let code): return "tensor \(t): unknown dtype code \(code)"
        case .badRank(let t, let rank): return "tensor \(t): rank \(rank) is above 4"
        case .duplicateTensor(let t): return "duplicate tensor \(t)"
        case .trailingBytes(let n): return "\(n) bytes left over after the last tensor"
        case .missingTensor(let t): return "missing tensor \(t)"
        case .unexpectedTensor(let t): return "unexpected tensor \(t) (the architecture does not use it)"
        case .shapeMismatch(let t, let e, let f): return "tensor \(t): expected shape \(e), found \(f)"
        case .wrongDType(let t, let e, let f): return "tensor \(t): expected dtype \(e), found \(f)"
        case .badArchitecture(let why): return "unsupported architecture: \(why)"
        case .noActivationScales:
            return "version 1 file without int8 activation scales (the int8 path needs them; the float path does not)"
        case .badTensorName(let i, let excerpt): return "tensor \(i): name \"\(excerpt)\" is not 1-255 bytes of printable ASCII"
        case .limitExceeded(let what): return "\(what) (MODEL_FORMAT.md, Limits)"
        }
    }

    private func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
    }
}
