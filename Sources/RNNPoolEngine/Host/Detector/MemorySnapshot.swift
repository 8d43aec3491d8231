/// Arena accounting as the UI's memory overlay and `--headless` JSON show it.
public struct MemorySnapshot: Sendable, Equatable {
    /// The simulated RAM cap (`--ram-cap`), in bytes.
    public var capBytes: Int
    /// Bytes allocated in the arena right now.
    public var currentBytes: Int
    /// Highest arena use since the detector was created.
    public var peakBytes: Int
    /// Highest arena use during the most recent frame.
    public var framePeakBytes: Int
    /// Per layer, in network order: the arena's high-water mark while it ran and the
    /// bytes its own buffers hold.
    public var layers: [LayerMemory]
    /// Arena use sampled through the most recent frame, in order (for a timeline).
    public var timeline: [Int]
    /// Read-only weight bytes, counted apart as flash would be on a microcontroller.
    public var weightBytes: Int
    /// Conventional networks doing the same job, each with the peak activation memory
    /// the same liveness planner gives it, for comparison (the overlay draws them all
    /// on one scale with ours and the cap). The first is the primary comparison.
    public var baselines: [BaselineMemory]

    /// True when the input frame was letterboxed whole into the arena (`--hold-frame`);
    /// false when it streamed in 3 rows at a time (the default).
    public var inputHeld: Bool
    /// The same detector's peak under the other accounting (held ↔ streamed), shown
    /// beside ours for comparison; nil when unknown.
    public var otherAccountingPeakBytes: Int?

    /// The peak with the frame held whole and with rows streamed, when both are known.
    public var heldFramePeakBytes: Int? { inputHeld ? framePeakBytes : otherAccountingPeakBytes }
    public var streamedPeakBytes: Int? { inputHeld ? otherAccountingPeakBytes : framePeakBytes }

    /// The first baseline's peak (0 when there is none): the figure `bench` and the
    /// headless JSON have always reported as `baseline_peak_bytes`.
    public var baselinePeakBytes: Int { baselines.first?.peakBytes ?? 0 }

    public init(capBytes: Int, currentBytes: Int, peakBytes: Int, framePeakBytes: Int,
                layers: [LayerMemory], timeline: [Int], weightBytes: Int, baselines: [BaselineMemory],
                inputHeld: Bool = false, otherAccountingPeakBytes: Int? = nil) {
        self.capBytes = capBytes
        self.currentBytes = currentBytes
        self.peakBytes = peakBytes
        self.framePeakBytes = framePeakBytes
        self.layers = layers
        self.timeline = timeline
        self.weightBytes = weightBytes
        self.baselines = baselines
        self.inputHeld = inputHeld
        self.otherAccountingPeakBytes = otherAccountingPeakBytes
    }
}

/// A conventional network's name and the peak activation bytes it would need.
public struct BaselineMemory: Sendable, Equatable {
    public var name: String
    public var peakBytes: Int

    public init(name: String, peakBytes: Int) {
        self.name = name
        self.peakBytes = peakBytes
    }
}

/// One layer's share of the arena.
public struct LayerMemory: Sendable, Equatable {
    public var name: String
    /// Arena bytes in use (all layers together) at the layer's high-water mark. In a
    /// row-streamed network most buffers are live at once, so this is close to the
    /// frame's peak for every layer.
    public var peakBytes: Int
    /// Bytes of the layer's own buffers (line buffers, rings, its share of scratch) at
    /// most: where the memory goes, layer by layer.
    public var ownBytes: Int

    public init(name: String, peakBytes: Int, ownBytes: Int? = nil) {
        self.name = name
        self.peakBytes = peakBytes
        self.ownBytes = ownBytes ?? peakBytes
    }
}
