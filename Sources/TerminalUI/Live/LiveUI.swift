import Foundation
import FrameIO
import LivePipeline
import RNNPoolEngine

/// The interactive `rnnpool-cam SOURCE` session.
///
/// Three threads: the `LivePipeline`'s capture and detector threads, and the main
/// thread, which reads keys with a short timeout and redraws what the pipeline
/// published whenever it changed. So keys stay responsive however slow the detector is.
public enum LiveUI {
    /// How long the main loop waits for a key before checking for new frames.
    static let keyTimeoutMilliseconds: Int32 = 15
    /// Redraw at least this often so rates stay current.
    static let idleRedrawSeconds = 0.25

    public static func run(source: any FrameSource, detector: (any FaceDetecting)?,
                           options: LiveOptions) throws -> LiveSummary {
        let screen = try CursesScreen()
        TerminalRestorer.install()
        defer {
            screen.stop()
            TerminalRestorer.uninstall()
        }
        var session = LiveSession(source: source, detector: detector, options: options,
                                  capabilities: screen.capabilities)
        return session.loop(screen: screen)
    }
}

/// One run of the terminal UI: the pipeline it draws and the main thread's view state.
struct LiveSession {
    let options: LiveOptions
    let renderer: ScreenRenderer
    let pipeline: LivePipeline
    var recording: RecordingSession { pipeline.recording }

    var controls: ViewControls
    /// The last message (saved file, mode change, error); it stays until the next key.
    var notice: String?
    var recordings: [String] = []
    var stills: [String] = []
    var lastRenderMilliseconds: Double?
    var displayRate = RateMeter()
    var shownFrame: (index: Int, timestamp: Double)?
    var seeksRefusedShown = 0

    init(source: any FrameSource, detector: (any FaceDetecting)?, options: LiveOptions,
         capabilities: TerminalCapabilities) {
        self.options = options
        renderer = ScreenRenderer(capabilities: capabilities)
        pipeline = LivePipeline(source: source, detector: detector, threshold: options.threshold,
                                tracking: options.tracking, maxFrames: options.maxFrames)
        let modes = capabilities.previewModes
        let mode = options.initialMode.flatMap { modes.contains($0) ? $0 : nil } ?? modes[0]
        controls = ViewControls(mode: mode, threshold: options.threshold)
    }

    mutating func loop(screen: CursesScreen) -> LiveSummary {
        pipeline.start()

        var endReason = LiveSummary.EndReason.quitKey
        var drawnVersion = -1
        var drawnControls = controls
        var lastDraw = 0.0
        var size = screen.size
        var forceDraw = true

        mainLoop: while true {
            if let reason = LiveSummary.EndReason(signal: StopRequest.signalNumber) {
                endReason = reason
                break mainLoop
            }
            if let key = screen.readKey(timeoutMilliseconds: LiveUI.keyTimeoutMilliseconds) {
                let commands = KeyCommand.read(first: key, next: { screen.pendingKey() },
                                               resizeCode: CursesScreen.resizeKey)
                if commands.contains(.quit) { break mainLoop }
                // The notice lasts until the next key, bound to a command or not.
                if commands != [.resize] { notice = nil }
                for command in commands {
                    handle(command, screen: screen)
                    if command == .resize {
                        size = screen.size
                        screen.invalidate()
                    }
                }
                forceDraw = true
            }
            if let failure = recording.takeFailure() {
                recordings.append(failure.path)
                show(failure.error ?? "recording stopped")
            }
            let refused = pipeline.seeksRefused
            if refused != seeksRefusedShown {
                seeksRefusedShown = refused
                show("cannot step or seek here: FFmpeg could not move in this file")
            }

            let now = MonotonicClock.now()
            let version = pipeline.version
            guard forceDraw || version != drawnVersion || controls != drawnControls
                || now - lastDraw >= LiveUI.idleRedrawSeconds else { continue }

            let start = MonotonicClock.now()
            let state = screenState(now: now)
            let grid = renderer.render(state, columns: size.columns, rows: size.rows)
            screen.paint(grid)
            lastRenderMilliseconds = (MonotonicClock.now() - start) * 1000
            // Display FPS counts the redraws that put a new frame on screen.
            if let frame = state.frame, frame.index != shownFrame?.index || frame.timestamp != shownFrame?.timestamp {
                shownFrame = (frame.index, frame.timestamp)
                displayRate.record(at: now)
            }
            drawnVersion = version
            drawnControls = controls
            lastDraw = now
            forceDraw = false
        }

        if let finished = pipeline.stop() { recordings.append(finished.path) }

        let final = pipeline.state
        var summary = LiveSummary(endReason: endReason, framesCaptured: final.framesCaptured,
                           framesDetected: final.detectionsCompleted, framesDropped: pipeline.droppedFrames,
                           recordings: recordings, stills: stills, sourceError: final.sourceError,
                           peakArenaBytes: final.memory?.peakBytes)
        summary.framesFailed = final.detectionsFailed
        summary.lastFailure = final.lastFailure
        return summary
    }

    private mutating func handle(_ command: KeyCommand, screen: CursesScreen) {
        switch command {
        case .toggleRecording:
            toggleRecording()
        case .saveFrame:
            saveFrame()
        case .stepForward, .stepBack, .seekBack, .seekForward:
            player(command)
        default:
            let modes = renderer.theme.capabilities.previewModes
            if let message = controls.apply(command, modes: modes) { show(message) }
            pipeline.setThreshold(controls.threshold)
            pipeline.setPaused(controls.paused)
        }
    }

    /// The player keys: step a frame (pausing) or seek 5 s, on a file.
    private mutating func player(_ command: KeyCommand) {
        guard pipeline.canSeek else {
            show("stepping and seeking need a file (a clip or a recording), not a camera or a pipe")
            return
        }
        if command == .stepForward || command == .stepBack {
            controls.apply(command, modes: renderer.theme.capabilities.previewModes)
            pipeline.setPaused(true)
        }
        let fiveSeconds = Int(((pipeline.nominalFPS ?? 30) * 5).rounded())
        switch command {
        case .stepForward: pipeline.step()
        case .stepBack: pipeline.seek(byFrames: -1)
        case .seekBack: pipeline.seek(byFrames: -fiveSeconds)
        default: pipeline.seek(byFrames: fiveSeconds)
        }
    }

    private mutating func toggleRecording() {
        if let finished = recording.stop() {
            recordings.append(finished.path)
            show(finished.error ?? "saved \(finished.frames) frames to \(finished.path)")
            return
        }
        let state = pipeline.state
        let (frame, measured) = (state.latestFrame, state.captureRate.rate())
        guard let frame else {
            show("nothing to record yet: no frame has arrived")
            return
        }
        let path = OutputNames.recording(in: options.outputDirectory)
        let fps = pipeline.nominalFPS ?? measured ?? 30
        do {
            let make = options.makeRecorder ?? DefaultOutputs.makeRecorder
            let recorder = try make(path, frame.width, frame.height, fps, frame.chroma != nil)
            recording.start(recorder, path: path)
            show("recording to \(path) (r stops)")
        } catch {
            show("cannot record: \(error)")
        }
    }

    private mutating func saveFrame() {
        guard let frame = pipeline.state.latestFrame else {
            show("nothing to save yet: no frame has arrived")
            return
        }
        let path = OutputNames.still(in: options.outputDirectory, frameIndex: frame.index)
        do {
            try (options.saveStill ?? DefaultOutputs.saveStill)(frame, path)
            stills.append(path)
            show("saved \(path)")
        } catch {
            show("cannot save: \(error)")
        }
    }

    private mutating func show(_ text: String) {
        notice = text
    }

    private func screenState(now: Double) -> ScreenState {
        let live = pipeline.state
        let threshold = controls.threshold
        // Hide boxes below a freshly raised threshold before the detector catches up
        // (tracked faces are held down to the tracker's hysteresis below it).
        let floor = options.tracking ? FaceTracker().detectionThreshold(for: threshold) : threshold
        let faces = (live.detection?.faces ?? []).filter { $0.score >= floor }
        let detector: StatusInfo.DetectorState
        if !pipeline.hasDetector {
            detector = .absent
        } else if let error = live.detectorError {
            detector = .failed(error)
        } else {
            detector = .running
        }
        let status = StatusInfo(
            source: options.sourceLabel, frameWidth: live.latestFrame?.width,
            frameHeight: live.latestFrame?.height, captureFPS: live.captureRate.rate(now: now),
            detector: detector, detectorMilliseconds: live.detection?.milliseconds,
            detectorFPS: live.detectorRate.rate(now: now), displayFPS: displayRate.rate(now: now),
            renderMilliseconds: lastRenderMilliseconds,
            faceCount: faces.count, threshold: threshold, memory: live.memory,
            ramCapBytes: options.ramCapBytes, requiredArenaBytes: live.requiredArenaBytes,
            droppedFrames: pipeline.droppedFrames, paused: controls.paused,
            recordingFrames: recording.framesWritten, endOfSource: live.endOfSource,
            sourceError: live.sourceError, notice: notice)
        return ScreenState(frame: live.latestFrame, faces: faces,
                           facesFrameWidth: live.detection?.frameWidth,
                           facesFrameHeight: live.detection?.frameHeight, status: status,
                           mode: controls.mode, overlay: controls.overlay,
                           processRSSBytes: controls.overlay == .memory ? ProcessMemory.residentBytes() : nil)
    }
}
