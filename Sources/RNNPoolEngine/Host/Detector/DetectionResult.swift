/// The outcome of one detector run.
public struct DetectionResult: Sendable {
    public var faces: [FaceBox]
    /// Wall time of this run in milliseconds (letterbox, network and NMS).
    public var milliseconds: Double
    /// Memory figures right after this run.
    public var memory: MemorySnapshot

    public init(faces: [FaceBox], milliseconds: Double, memory: MemorySnapshot) {
        self.faces = faces
        self.milliseconds = milliseconds
        self.memory = memory
    }
}
