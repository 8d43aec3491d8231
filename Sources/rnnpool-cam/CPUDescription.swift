import InputSafety

/// The CPU a benchmark ran on, from /proc/cpuinfo's first processor: speed figures mean
/// little without it (the engine's standing against ONNX Runtime changes with the core,
/// issue 22), and `bench` prints it with every run. Fields the file lacks (other
/// architectures, no /proc) stay nil.
struct CPUDescription: Encodable, Equatable {
    var modelName: String?
    var family: Int?
    var model: Int?
    /// The instruction-set extensions the engine's kernels choose between, where present.
    var features: [String]

    enum CodingKeys: String, CodingKey { case modelName = "model_name", family, model, features }

    static let interestingFeatures = ["avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8"]

    static func current(path: String = "/proc/cpuinfo") -> CPUDescription {
        // /proc files report size 0: the bound is on what is read (1 MiB: a 256-core listing).
        let text = (try? readWholeFile(path, limit: 1 << 20)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return CPUDescription(cpuinfo: text)
    }

    init(cpuinfo: String) {
        var fields: [String: String] = [:]
        // The first processor's block: lines up to the first blank one.
        for line in cpuinfo.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { if !fields.isEmpty { break } else { continue } }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        modelName = fields["model name"].map { Printable.excerpt($0) }
        family = fields["cpu family"].flatMap { Int($0) }
        model = fields["model"].flatMap { Int($0) }
        let flags = Set((fields["flags"] ?? "").split(separator: " ").map(String.init))
        features = CPUDescription.interestingFeatures.filter(flags.contains)
    }

    /// "AMD EPYC (family 25, model 1; avx2 fma)", or "unknown".
    var summary: String {
        var s = modelName ?? "unknown"
        var details: [String] = []
        if let family, let model { details.append("family \(family), model \(model)") }
        if !features.isEmpty { details.append(features.joined(separator: " ")) }
        if !details.isEmpty { s += " (" + details.joined(separator: "; ") + ")" }
        return s
    }
}
