import Foundation
import InputSafety

/// Reading and checking the architecture from a model file's JSON header (host only).
extension Architecture {
    /// Checks the hyper-parameters this engine relies on; returns why not, or nil.
    func problem() -> String? {
        if kind != "model" { return "kind is \"\(Printable.excerpt(kind))\", expected \"model\"" }
        // Ranges first: everything below computes derived shapes from these values.
        if let why = ArchitectureLimits.problem(self) { return why }
        if input.width < 16 || input.height < 16 { return "input \(input.width)x\(input.height) is too small" }
        if stem.outChannels < 1 { return "stem.out_channels must be positive" }
        if rnnpool.patch != 8 { return "rnnpool.patch \(rnnpool.patch) (this engine runs 8x8 patches)" }
        if rnnpool.stride < 1 || rnnpool.stride > rnnpool.patch { return "rnnpool.stride \(rnnpool.stride)" }
        if rnnpool.hidden1 < 1 || rnnpool.hidden2 < 1 { return "rnnpool hidden sizes must be positive" }
        if stemWidth < rnnpool.patch || stemHeight < rnnpool.patch { return "input smaller than one patch" }
        if rnnpool.padTo.count != 2 || rnnpool.padTo[0] < patchesX || rnnpool.padTo[1] < patchesY {
            return "rnnpool.pad_to \(rnnpool.padTo) is smaller than the \(patchesX)x\(patchesY) patch grid"
        }
        if blocks.isEmpty { return "no blocks" }
        for (i, b) in blocks.enumerated() {
            if b.expand < 1 || b.outChannels < 1 || !(b.stride == 1 || b.stride == 2) {
                return "block \(i): expand \(b.expand), out_channels \(b.outChannels), stride \(b.stride)"
            }
        }
        if heads.isEmpty { return "no heads" }
        for (k, h) in heads.enumerated() {
            if h.block < 0 || h.block >= blocks.count { return "head \(k) reads block \(h.block), which does not exist" }
            if h.sizes.isEmpty || h.background < 1 || h.step <= 0 { return "head \(k): sizes, background or step" }
        }
        if postprocess.variances.count != 2 { return "postprocess.variances needs 2 values" }
        if postprocess.topK < 1 || postprocess.maxDetections < 1 { return "postprocess top_k / max_detections" }
        if let nested = postprocess.nmsNested, !(nested > 0 && nested <= 1) { return "postprocess.nms_nested must be in (0, 1]" }
        if let vote = postprocess.boxVote, !(vote > 0 && vote <= 1) { return "postprocess.box_vote must be in (0, 1]" }
        if let split = postprocess.coarseSplit, !(split > 0 && split.isFinite) {
            return "postprocess.coarse_split must be a positive number of pixels"
        }
        return nil
    }

    static func decode(_ json: Data, path: String) throws -> Architecture {
        // A fixture (or anything else) in the same container says so in `kind`; say that
        // rather than which model key it lacks.
        struct Kind: Decodable { var kind: String? }
        if let k = try? JSONDecoder().decode(Kind.self, from: json), let kind = k.kind, kind != "model" {
            throw ModelFileError(path: path, reason: .badArchitecture("kind is \"\(Printable.excerpt(kind))\", expected \"model\""))
        }
        do {
            return try JSONDecoder().decode(Architecture.self, from: json)
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw ModelFileError(path: path, reason: .badHeader("missing key \(keyPath(ctx.codingPath + [key]))"))
        } catch let DecodingError.typeMismatch(type, ctx) {
            throw ModelFileError(path: path, reason: .badHeader("\(keyPath(ctx.codingPath)) is not \(expected(type))"))
        } catch let DecodingError.valueNotFound(type, ctx) {
            throw ModelFileError(path: path, reason: .badHeader("\(keyPath(ctx.codingPath)) is null, expected \(expected(type))"))
        } catch let DecodingError.dataCorrupted(ctx) where !ctx.codingPath.isEmpty {
            // A number that does not fit its field: 320.5 for an integer, 1e39 for a float.
            throw ModelFileError(path: path, reason: .badHeader(
                "\(keyPath(ctx.codingPath)) does not fit its type (\(Printable.excerpt(ctx.debugDescription)))"))
        } catch let DecodingError.dataCorrupted(ctx) {
            // Not JSON at all, or a number no field type holds: the parser's reason where it gives one.
            let why = ctx.underlyingError.map { " (\(Printable.excerpt("\($0)")))" } ?? ""
            throw ModelFileError(path: path, reason: .badHeader("not valid JSON, or a number out of its field's range\(why)"))
        } catch {
            throw ModelFileError(path: path, reason: .badHeader("not valid JSON"))
        }
    }

    /// "an integer", "a number", … for a field of `type`.
    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "an integer"
        case is Float.Type, is Double.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            return name.hasPrefix("Array") ? "a list" : (name.hasPrefix("Dictionary") ? "an object" : "a \(name)")
        }
    }

    private static func keyPath(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
