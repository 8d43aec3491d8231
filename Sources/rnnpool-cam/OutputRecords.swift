import RNNPoolEngine

/// The JSON shapes the CLI prints: faces in source pixels, memory figures in bytes.
enum OutputRecords {
    static func faces(_ boxes: [FaceBox]) -> JSONText {
        .array(boxes.map { b in
            .object((b.id.map { [("id", JSONText.int($0))] } ?? []) + [
                ("x", .number(Double(b.x), decimals: 1)),
                ("y", .number(Double(b.y), decimals: 1)),
                ("w", .number(Double(b.w), decimals: 1)),
                ("h", .number(Double(b.h), decimals: 1)),
                ("score", .number(Double(b.score), decimals: 4)),
            ])
        })
    }

    /// `frameFailed`: the frame did not fit the cap, so its figures are partial and no
    /// ratio is given (null), as in the UI's overlay.
    static func memory(_ m: MemorySnapshot, frameFailed: Bool = false) -> JSONText {
        .object([
            ("cap_bytes", .int(m.capBytes)),
            ("current_bytes", .int(m.currentBytes)),
            ("peak_bytes", .int(m.peakBytes)),
            ("frame_peak_bytes", .int(m.framePeakBytes)),
            ("weight_bytes", .int(m.weightBytes)),
            // The input frame: streamed 3 rows at a time (default) or held whole
            // (--hold-frame), and the peak under each accounting.
            ("input", .string(m.inputHeld ? "held" : "streamed")),
            ("streamed_peak_bytes", m.streamedPeakBytes.map { .int($0) } ?? .null),
            ("held_frame_peak_bytes", m.heldFramePeakBytes.map { .int($0) } ?? .null),
            ("baseline_peak_bytes", .int(m.baselinePeakBytes)),
            // Each conventional network's peak and its ratio to ours (same precision).
            ("baselines", .array(m.baselines.map {
                .object([("name", .string($0.name)), ("peak_bytes", .int($0.peakBytes)),
                         ("ratio", frameFailed ? .null
                             : .number(Double($0.peakBytes) / Double(max(1, m.peakBytes)), decimals: 2))])
            })),
            ("layers", .array(m.layers.map { .object([("name", .string($0.name)), ("peak_bytes", .int($0.peakBytes)), ("own_bytes", .int($0.ownBytes))]) })),
        ])
    }

    /// `detect --json`: one line per image.
    static func image(file: String, width: Int, height: Int, faces: [FaceBox]) -> JSONText {
        .object([
            ("file", .string(file)),
            ("width", .int(width)),
            ("height", .int(height)),
            ("faces", self.faces(faces)),
        ])
    }
}
