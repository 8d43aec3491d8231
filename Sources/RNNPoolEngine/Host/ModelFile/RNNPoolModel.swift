import Foundation

/// A validated detector: its architecture and its weights, rearranged once at load
/// time into the channels-last layouts the engine's loops read. Weights are read-only
/// and live outside the arena (flash, on a microcontroller).
public final class RNNPoolModel: @unchecked Sendable {
    public let path: String
    public let architecture: Architecture
    /// Weight bytes as stored in the file (float32 parameters), the "flash" figure.
    public let weightBytes: Int
    /// The int8 activation grids (version-2 files); nil for a version-1 file, which
    /// runs on the float path only.
    public let activationScales: ActivationScales?
    /// What the file says of its training (date, val AP50), for `--version`.
    public let training: TrainingSummary?
    let weights: NetworkWeights

    init(path: String, architecture: Architecture, weightBytes: Int, weights: NetworkWeights,
         activationScales: ActivationScales?, training: TrainingSummary? = nil) {
        self.path = path
        self.training = training
        self.architecture = architecture
        self.weightBytes = weightBytes
        self.weights = weights
        self.activationScales = activationScales
    }

    /// Reads and fully validates a `.rpm` model file. Throws `ModelFileError`, one line
    /// naming the file.
    public static func load(path: String) throws -> RNNPoolModel {
        try from(container: RPMContainer.read(path: path))
    }

    /// Builds a model from already-read container bytes (tests use this with files
    /// they construct).
    public static func from(container c: RPMContainer) throws -> RNNPoolModel {
        let path = c.path
        let arch = try Architecture.decode(c.headerJSON, path: path)
        if let why = arch.problem() { throw ModelFileError(path: path, reason: .badArchitecture(why)) }
        let scales = c.version >= 2 ? try ActivationScales.decode(c.headerJSON, blocks: arch.blocks.count, path: path) : nil
        let expected = arch.expectedTensorShapes
        var byName: [String: StoredTensor] = [:]
        for t in c.tensors { byName[t.name] = t }
        var weightBytes = 0
        for (name, shape) in expected {
            guard let t = byName[name] else { throw ModelFileError(path: path, reason: .missingTensor(name)) }
            guard t.dtype == .float32 else {
                throw ModelFileError(path: path, reason: .wrongDType(tensor: name, expected: "float32", found: t.dtype.name))
            }
            guard t.shape == shape else {
                throw ModelFileError(path: path, reason: .shapeMismatch(tensor: name, expected: shape, found: t.shape))
            }
            weightBytes += 4 * t.count
        }
        let known = Set(expected.map(\.0))
        if let extra = c.tensors.first(where: { !known.contains($0.name) }) {
            throw ModelFileError(path: path, reason: .unexpectedTensor(extra.name))
        }
        let weights = NetworkWeights(arch: arch) { byName[$0]!.floats }
        return RNNPoolModel(path: path, architecture: arch, weightBytes: weightBytes, weights: weights,
                            activationScales: scales, training: TrainingSummary.decode(c.headerJSON))
    }
}
