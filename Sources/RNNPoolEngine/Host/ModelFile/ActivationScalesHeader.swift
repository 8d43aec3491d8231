import Foundation

/// Reading the int8 grids from a version-2 model file's JSON header (host only).
extension ActivationScales {
    /// Reads `activations` from a version-2 header; every problem is one line naming the file.
    static func decode(_ json: Data, blocks: Int, path: String) throws -> ActivationScales {
        struct Header: Decodable { var activations: Section? }
        struct Section: Decodable { var dtype: String; var scales: [String: Double] }
        func bad(_ why: String) -> ModelFileError { ModelFileError(path: path, reason: .badHeader(why)) }
        let section: Section
        do {
            guard let s = try JSONDecoder().decode(Header.self, from: json).activations else {
                throw bad("missing key activations (version 2 carries int8 activation scales)")
            }
            section = s
        } catch let e as ModelFileError {
            throw e
        } catch {
            throw bad("activations must be {\"dtype\": \"int8\", \"scales\": {name: number}}")
        }
        guard section.dtype == "int8" else { throw bad("activations.dtype \"\(section.dtype)\" (this build reads int8)") }
        let names = names(blocks: blocks)
        if let extra = section.scales.keys.sorted().first(where: { !names.contains($0) }) {
            throw bad("activations.scales has \(extra), which the architecture does not store")
        }
        var values: [Float] = []
        for n in names {
            guard let v = section.scales[n] else { throw bad("missing key activations.scales.\(n)") }
            // A scale must keep 127·scale and 1/scale finite in float32.
            guard v.isFinite, v >= 1e-30, v <= 1e30 else {
                throw bad("activations.scales.\(n) = \(v) (must be a positive finite number)")
            }
            values.append(Float(v))
        }
        return ActivationScales(stem: values[0], summaries: values[1], rnnpool: values[2], blocks: Array(values[3...]))
    }
}
