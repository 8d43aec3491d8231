import FrameIO

extension LivePipeline {
    /// The same loop on the caller's thread, one frame after another, every frame
    /// detected (the headless mode): `publish` gets each frame with its outcome and the
    /// frame rate so far. Stops at the end of the source, after `maxFrames`, or when
    /// `shouldStop` says so; a source error is thrown after the frames before it were
    /// published. Returns the number of frames published.
    public func runInline(shouldStop: () -> Bool = { false },
                          publish: (Frame, FrameOutcome, Double?) throws -> Void) throws -> Int {
        var published = 0
        while !shouldStop() {
            if let maxFrames, published >= maxFrames { break }
            guard let frame = try source.value.nextFrame() else { break }
            let threshold = shared.withLock { $0.threshold }
            let outcome = processor.value.process(frame, threshold: threshold)
            let now = MonotonicClock.now()
            let fps = shared.withLock { state -> Double? in
                state.recordCaptured(frame, at: now)
                if hasDetector { state.record(outcome, at: now) }
                return state.captureRate.rate(now: now)
            }
            try publish(frame, outcome, fps)
            published += 1
        }
        return published
    }
}
