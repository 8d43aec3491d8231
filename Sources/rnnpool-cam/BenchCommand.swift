import ArgumentParser
import FrameIO
import Foundation
import RNNPoolEngine
import TerminalUI

/// `rnnpool-cam bench`: runs the detector on N frames, single-threaded, and reports
/// speed and memory: the figures docs/BENCHMARKS.md records.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the RNNPool detector on N frames and report speed and memory."
    )

    @Option(name: .long, help: "Model file (default: assets/models/rnnpool-face.rpm, found like the main command does).")
    var model: String?

    @Option(name: .long, parsing: .unconditional, help: "Number of timed frames.")
    var frames: Int = 200

    @Option(name: .long, parsing: .unconditional, help: "Untimed warm-up frames.")
    var warmup: Int = 10

    @Option(name: .customLong("ram-cap"), parsing: .unconditional, help: "Simulated RAM cap in bytes (262144, 256K, 1M).")
    var ramCap: ByteSize = ByteSize(bytes: 256 * 1024)

    @Option(name: .long, help: "A picture (JPEG, PNG, PGM…) or a clip (its first frame) to time instead of the synthetic frame, e.g. assets/demo.y4m.")
    var image: String?

    @Option(name: .long, parsing: .unconditional, help: "Size of the synthetic frame, WxH (the detector letterboxes it to its input size).")
    var size = FrameSize(width: 320, height: 240)

    @Option(name: .long, parsing: .unconditional, help: "Score threshold.")
    var threshold: Float?

    @Option(name: .customLong("render-frames"), parsing: .unconditional, help: "Frames for the terminal render benchmark at 120x40 and 240x70 cells (0 skips it).")
    var renderFrames: Int = 200

    @Option(help: "Line buffers in int8 or float (default: int8 when the model carries activation scales).")
    var precision: Precision?

    @Flag(name: .customLong("hold-frame"),
          help: "Time and count the detector with the whole input frame held in its RAM (by default rows stream in 3 at a time).")
    var holdFrame = false

    @Option(name: .customLong("input-size"), parsing: .unconditional,
            help: ArgumentHelp(InputSizeOption.help, valueName: "WxH"))
    var inputSize: FrameSize?

    @Flag(name: .long, help: "Print one JSON object instead of the table.")
    var json = false

    func validate() throws {
        guard ramCap.isValid else { throw optionError(ramCap.problem(option: "--ram-cap")) }
        try InputSizeOption.validate(inputSize)
        // Bounded so that no count overflows or reserves absurd memory (issue 19, F4).
        guard (1...1_000_000).contains(frames) else { throw optionError("--frames must be 1 to 1000000 (got \(frames))") }
        guard (0...100_000).contains(warmup) else { throw optionError("--warmup must be 0 to 100000 (got \(warmup))") }
        guard (0...100_000).contains(renderFrames) else {
            throw optionError("--render-frames must be 0 to 100000 (got \(renderFrames))")
        }
    }

    func run() throws {
        do {
            try benchmark()
        } catch {
            // Model-file, arena, picture and source errors: each is one line naming
            // what is wrong.
            Console.note(CLIWording.describe(error), mode: "bench")
            throw ExitCode(1)
        }
    }

    private func benchmark() throws {
        guard let path = model ?? ModelLocator.defaultModelPath() else {
            throw BenchInputError(message: "no model: pass --model PATH or set \(ModelLocator.environmentVariable) "
                                  + "(looked for \(ModelLocator.relativePath) above the executable and the current directory)")
        }
        let m = try RNNPoolModel.load(path: path)
        let detector = try RNNPoolDetector(model: m, ramCapBytes: ramCap.bytes, precision: precision, holdFrame: holdFrame,
                                           inputSize: InputSizeOption.engineSize(inputSize))
        let frame = try image.map(BenchFrame.read) ?? BenchFrame.synthetic(width: size.width, height: size.height)
        let thr = threshold ?? m.architecture.postprocess.scoreThreshold

        var times: [Double] = []
        var faces = 0
        // On a terminal, say what is being timed: the defaults take a few minutes.
        let progress = isatty(STDERR_FILENO) != 0
        if progress {
            Console.note("timing the detector on \(warmup + frames) frames (\(warmup) untimed)…", mode: "bench")
        }
        try frame.pixels.withUnsafeBufferPointer { buf in
            for i in 0..<(warmup + frames) {
                try StopSignal.exitIfStopped(saying: true)
                let t0 = DispatchTime.now().uptimeNanoseconds
                let r = try detector.detect(luma: buf, width: frame.width, height: frame.height, threshold: thr)
                let t1 = DispatchTime.now().uptimeNanoseconds
                if i >= warmup { times.append(Double(t1 - t0) / 1e6) }
                faces = r.faces.count
            }
        }
        times.sort()
        let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        let mem = detector.memory
        let report = BenchReport(
            model: path, precision: detector.precision.rawValue, cpu: .current(),
            kernels: .init(swiftLoops: detector.kernels.swiftLoops, expand: detector.kernels.expand,
                           heads: detector.kernels.heads, projection: detector.kernels.projection),
            frameWidth: frame.width, frameHeight: frame.height, frameSource: image ?? "synthetic",
            inputWidth: detector.inputSize.width, inputHeight: detector.inputSize.height,
            modelInputArea: m.architecture.input.width * m.architecture.input.height,
            frames: frames, msPerFrameMedian: median, msPerFrameMin: times.first!, msPerFrameMax: times.last!,
            fps: 1000 / median, maddsPerFrame: detector.lastFrameCost.total, maddsDefinedPerFrame: detector.maddsPerFrame,
            peakArenaBytes: mem.peakBytes,
            input: mem.inputHeld ? "held" : "streamed", streamedPeakBytes: mem.streamedPeakBytes,
            heldFramePeakBytes: mem.heldFramePeakBytes, ramCapBytes: mem.capBytes, weightBytes: mem.weightBytes, baselinePeakBytes: mem.baselinePeakBytes,
            baselinePeakLayer: detector.baselinePlan.peakLayer,
            baselines: detector.baselinePlans.map {
                .init(name: $0.name, peakBytes: $0.plan.peakBytes, peakLayer: $0.plan.peakLayer,
                      ratio: Double($0.plan.peakBytes) / Double(max(1, mem.peakBytes)))
            },
            layers: mem.layers.map { .init(name: $0.name, peakBytes: $0.peakBytes, ownBytes: $0.ownBytes) },
            layerMAdds: zip(detector.lastFrameCost.layers, detector.lastFramePasses).map {
                .init(name: $0.0.name, madds: $0.0.madds, passes: $0.1.passes)
            },
            facesFound: faces,
            render: renderFrames > 0 ? timedRender(progress: progress) : [])
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys]
            Console.emit(String(decoding: try enc.encode(report), as: UTF8.self))
        } else {
            Console.emit(report.table())
        }
    }
}

/// "640x480" → (640, 480); nil unless both are positive and at most 8192.
extension BenchCommand {
    /// The terminal render benchmark, announced on a terminal (it takes the longest).
    func timedRender(progress: Bool) -> [BenchReport.Render] {
        if progress {
            Console.note("timing the terminal render, \(renderFrames) frames in each of 8 settings (--render-frames 0 skips it)…",
                         mode: "bench")
        }
        return RenderBenchmark.run(frames: renderFrames).measurements.map(BenchReport.Render.init)
    }
}

struct BenchInputError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
