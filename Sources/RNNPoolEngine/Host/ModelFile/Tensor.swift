/// Element type of a stored tensor (MODEL_FORMAT.md dtype codes).
public enum TensorDType: UInt8, Sendable {
    case float32 = 0
    case uint8 = 1
    case int32 = 2

    var size: Int { self == .uint8 ? 1 : 4 }
    var name: String {
        switch self {
        case .float32: return "float32"
        case .uint8: return "uint8"
        case .int32: return "int32"
        }
    }
}

/// One named tensor as read from a container: shape outermost first, elements
/// row-major. Values are kept decoded; weights are small (tens of KB).
public struct StoredTensor: Sendable {
    public var name: String
    public var dtype: TensorDType
    public var shape: [Int]
    /// Elements as Float (uint8 and int32 converted exactly where they fit).
    public var floats: [Float]
    /// Raw bytes for uint8 tensors (images), empty otherwise.
    public var bytes: [UInt8]

    public var count: Int { shape.reduce(1, *) }
}
