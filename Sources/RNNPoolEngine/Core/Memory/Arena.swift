/// One block of `capBytes` bytes that provides every activation, scratch buffer and the
/// detector's copy of its input: the simulated microcontroller RAM. Allocation is
/// first-fit over the gaps between live buffers (buffers are few, tens at most), so a
/// buffer freed early (input rows the stem has passed) leaves room for later ones.
///
/// "Bytes in use" is the footprint: the end of the highest live buffer, holes included,
/// which is what a fixed RAM region must provide. It keeps the accounting the UI shows:
/// current and peak footprint, each layer's high-water mark and a timeline of use
/// through the frame.
public final class Arena {
    public let capBytes: Int
    private let base: UnsafeMutableRawPointer
    private var live: [(offset: Int, size: Int, owner: Int)] = []   // sorted by offset

    /// Footprint now: end of the highest live buffer.
    public private(set) var currentBytes = 0
    /// Sum of live buffer sizes (≤ currentBytes; the difference is holes).
    public private(set) var liveBytes = 0
    public private(set) var peakBytes = 0
    public private(set) var framePeakBytes = 0
    /// Layer names in network order, and each one's high-water mark.
    public private(set) var layerNames: [String] = []
    public private(set) var layerPeaks: [Int] = []
    public private(set) var timeline: [Int] = []
    /// Bytes each layer's own buffers (rings, scratch) take at most: what the layer
    /// itself costs, as opposed to what was in use while it ran.
    public private(set) var layerOwnedPeaks: [Int] = []
    private var layerOwned: [Int] = []
    private var layerIndex: [String: Int] = [:]
    private var activeLayer = 0

    static let alignment = 64

    public init(capBytes: Int) {
        self.capBytes = max(0, capBytes)
        base = UnsafeMutableRawPointer.allocate(byteCount: max(self.capBytes, 1), alignment: Arena.alignment)
    }

    deinit { base.deallocate() }

    /// Declares the layers (network order) whose peaks are tracked.
    public func declareLayers(_ names: [String]) {
        layerNames = names
        layerPeaks = Array(repeating: 0, count: names.count)
        layerOwnedPeaks = Array(repeating: 0, count: names.count)
        layerOwned = Array(repeating: 0, count: names.count)
        layerIndex = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }

    /// Starts a frame: the frame peak and timeline restart (buffers must all be freed).
    public func beginFrame() {
        framePeakBytes = currentBytes
        timeline.removeAll(keepingCapacity: true)
        timeline.append(currentBytes)
    }

    /// Makes `layer` the one charged for what happens next.
    @inline(__always) public func enter(_ layer: Int) {
        #if RNNPOOL_M4_PROFILE
        // `scripts/m4/build.sh --profile`: the firmware charges the instructions since
        // the last change of layer to the layer that ran them (runtime.c).
        m4_profile_enter(Int32(truncatingIfNeeded: layer))
        #endif
        activeLayer = layer
        if currentBytes > layerPeaks[layer] { layerPeaks[layer] = currentBytes }
    }

    public func layer(named name: String) -> Int { layerIndex[name] ?? 0 }

    /// Records the current use in the frame's timeline.
    public func sample() { timeline.append(currentBytes) }

    /// Allocates `count` Floats (or any `T`) charged to the active layer.
    public func allocate<T>(_ type: T.Type, count: Int) throws(ArenaOverflowError) -> UnsafeMutablePointer<T> {
        // A count from a model file (top_k) can be anything: overflow is a refusal.
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        let raw = try allocateBytes(overflow || count < 0 ? Int.max : bytes)
        return raw.bindMemory(to: T.self, capacity: count)
    }

    public func allocateBytes(_ bytes: Int) throws(ArenaOverflowError) -> UnsafeMutableRawPointer {
        guard bytes >= 0, bytes <= capBytes else {
            throw ArenaOverflowError(layer: layerNames.isEmpty ? "?" : layerNames[activeLayer],
                                     requestedBytes: bytes < 0 ? Int.max : bytes,
                                     availableBytes: max(0, capBytes - currentBytes), capBytes: capBytes)
        }
        let size = max(Arena.alignment, (bytes + Arena.alignment - 1) & ~(Arena.alignment - 1))
        var start = 0, slot = live.count, largestGap = 0
        for (i, b) in live.enumerated() {
            let gap = b.offset - start
            if gap >= size { slot = i; break }
            largestGap = max(largestGap, gap)
            start = b.offset + b.size
        }
        if slot == live.count {
            let tail = capBytes - start
            guard tail >= size else {
                largestGap = max(largestGap, tail)
                throw ArenaOverflowError(layer: layerNames.isEmpty ? "?" : layerNames[activeLayer],
                                         requestedBytes: size, availableBytes: max(0, largestGap), capBytes: capBytes)
            }
        }
        live.insert((start, size, activeLayer), at: slot)
        liveBytes += size
        if !layerOwned.isEmpty {
            layerOwned[activeLayer] += size
            layerOwnedPeaks[activeLayer] = max(layerOwnedPeaks[activeLayer], layerOwned[activeLayer])
        }
        currentBytes = max(currentBytes, start + size)
        if currentBytes > peakBytes { peakBytes = currentBytes }
        if currentBytes > framePeakBytes { framePeakBytes = currentBytes }
        if !layerPeaks.isEmpty && currentBytes > layerPeaks[activeLayer] { layerPeaks[activeLayer] = currentBytes }
        timeline.append(currentBytes)
        return base + start
    }

    /// Returns a buffer obtained from `allocate`.
    public func free(_ pointer: UnsafeMutableRawPointer) {
        let offset = pointer - base
        guard let i = live.firstIndex(where: { $0.offset == offset }) else {
            preconditionFailure("Arena.free of a pointer it did not allocate")
        }
        liveBytes -= live[i].size
        if !layerOwned.isEmpty { layerOwned[live[i].owner] -= live[i].size }
        live.remove(at: i)
        currentBytes = live.last.map { $0.offset + $0.size } ?? 0
        timeline.append(currentBytes)
    }

    public func free<T>(_ pointer: UnsafeMutablePointer<T>) { free(UnsafeMutableRawPointer(pointer)) }

    /// Frees everything (after an overflow aborted a frame half-way).
    public func releaseAll() {
        live.removeAll(keepingCapacity: true)
        currentBytes = 0
        liveBytes = 0
        for i in layerOwned.indices { layerOwned[i] = 0 }
    }
}
