/// A request the RAM-capped arena could not satisfy, worded like TensorFlow Lite
/// Micro's allocator: which layer asked, how much, how much was free, what is missing.
public struct ArenaOverflowError: Error, CustomStringConvertible, Equatable, Sendable {
    public var layer: String
    public var requestedBytes: Int
    public var availableBytes: Int
    public var capBytes: Int

    public var missingBytes: Int { requestedBytes - availableBytes }

    public var description: String {
        "arena overflow in layer \(layer): requested \(requestedBytes) bytes, available \(availableBytes) bytes, "
            + "missing \(missingBytes) bytes (RAM cap \(capBytes) bytes)"
    }
}
