import RNNPoolEngine

/// `rnnpool-cam --version`: the program's version, and the model it would load, with
/// what the model file says of its training.
enum VersionText {
    static func text() -> String {
        "rnnpool-cam \(RNNPoolCam.version)\n" + modelLine()
    }

    static func modelLine() -> String {
        guard let path = ModelLocator.defaultModelPath() else {
            return "model: none found (\(ModelLocator.relativePath) above the executable or the current directory; "
                + "set \(ModelLocator.environmentVariable))"
        }
        do {
            let m = try RNNPoolModel.load(path: path)
            var facts = [m.architecture.name ?? "unnamed architecture",
                         m.activationScales == nil ? "float32 only" : "int8 scales"]
            if let date = m.training?.date { facts.append("trained \(date)") }
            if let ap = m.training?.valAP50 { facts.append(String(format: "val AP50 %.3f", ap)) }
            return "model: \(path) (\(facts.joined(separator: ", ")))"
        } catch {
            return "model: \(CLIWording.describe(error))"
        }
    }
}
