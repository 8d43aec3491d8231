import Foundation
import TerminalUI

/// What `bench` measured; `--json` prints it as one object (snake_case keys).
struct BenchReport: Encodable {
    struct Layer: Encodable { var name: String; var peakBytes: Int; var ownBytes: Int
        enum CodingKeys: String, CodingKey { case name, peakBytes = "peak_bytes", ownBytes = "own_bytes" } }
    /// A layer's multiply-adds in the timed frames, and the input sizes of the passes
    /// that ran it (two at an input larger than the model's, unless a pass passed it over).
    struct LayerCost: Encodable { var name: String; var madds: Int; var passes: [String] }
    /// A conventional network planned in the same precision, and its peak over ours.
    struct Baseline: Encodable {
        var name: String, peakBytes: Int, peakLayer: String, ratio: Double
        enum CodingKeys: String, CodingKey { case name, peakBytes = "peak_bytes", peakLayer = "peak_layer", ratio }
    }
    /// One terminal render measurement (grid render; ncurses paint off-screen).
    struct Render: Encodable {
        var columns: Int, rows: Int, mode: String, overlay: Bool
        var renderMsMedian: Double, paintMsMedian: Double?
        enum CodingKeys: String, CodingKey {
            case columns, rows, mode, overlay, renderMsMedian = "render_ms_median", paintMsMedian = "paint_ms_median"
        }
        init(_ m: RenderBenchmark.Measurement) {
            columns = m.columns; rows = m.rows; mode = m.mode.displayName; overlay = m.overlay
            renderMsMedian = m.medianMilliseconds; paintMsMedian = m.paintMedianMilliseconds
        }
    }

    /// Which kernel each hot loop ran (ComputeKernels), on which CPU.
    struct Kernels: Encodable {
        var swiftLoops: String, expand: String, heads: String, projection: String
        enum CodingKeys: String, CodingKey { case swiftLoops = "swift_loops", expand, heads, projection }

        /// "Swift loops sized for avx2; int8 expand avx2, int8 projection avx2, int8 heads avx2".
        var summary: String {
            let loops = "Swift loops sized for \(swiftLoops)"
            if expand == "float" { return loops + "; float path (no integer kernels)" }
            return loops + "; int8 expand \(expand), int8 projection \(projection), int8 heads \(heads)"
        }
    }

    var model: String
    var precision: String
    var cpu: CPUDescription
    var kernels: Kernels
    var frameWidth: Int, frameHeight: Int
    var frameSource: String
    /// The network's input (--input-size; the model's own by default).
    var inputWidth: Int, inputHeight: Int
    /// The model's own input area: a larger network input runs a second pass at it.
    var modelInputArea: Int
    var frames: Int
    var msPerFrameMedian: Double, msPerFrameMin: Double, msPerFrameMax: Double
    var fps: Double
    /// The layers that ran; `maddsDefinedPerFrame` counts every layer of every pass.
    var maddsPerFrame: Int
    var maddsDefinedPerFrame: Int
    var peakArenaBytes: Int
    /// "streamed" (3 input rows at a time, the default) or "held" (--hold-frame).
    var input: String
    var streamedPeakBytes: Int?
    var heldFramePeakBytes: Int?
    var ramCapBytes: Int
    var weightBytes: Int
    var baselinePeakBytes: Int
    var baselinePeakLayer: String
    var baselines: [Baseline]
    var layers: [Layer]
    var layerMAdds: [LayerCost]
    var facesFound: Int
    var render: [Render]

    enum CodingKeys: String, CodingKey {
        case model, precision, cpu, kernels, frameWidth = "frame_width", frameHeight = "frame_height", frameSource = "frame_source"
        case inputWidth = "input_width", inputHeight = "input_height", modelInputArea = "model_input_area"
        case frames, msPerFrameMedian = "ms_per_frame_median", msPerFrameMin = "ms_per_frame_min"
        case msPerFrameMax = "ms_per_frame_max", fps, maddsPerFrame = "madds_per_frame"
        case maddsDefinedPerFrame = "madds_defined_per_frame"
        case peakArenaBytes = "peak_arena_bytes", ramCapBytes = "ram_cap_bytes", weightBytes = "weight_bytes"
        case input, streamedPeakBytes = "streamed_peak_bytes", heldFramePeakBytes = "held_frame_peak_bytes"
        case baselinePeakBytes = "baseline_peak_bytes", baselinePeakLayer = "baseline_peak_layer", baselines
        case layers = "layer_peak_bytes", layerMAdds = "layer_madds", facesFound = "faces_found", render
    }

    /// "431.2 M per frame (the layers that ran; 576.5 M as defined: …)" where a pass
    /// passed layers over, else "113.8 M per frame".
    var maddsSummary: String {
        let ran = String(format: "%.1f M per frame", Double(maddsPerFrame) / 1e6)
        guard maddsDefinedPerFrame != maddsPerFrame else { return ran }
        return ran + String(format: " (the layers that ran; %.1f M as defined, every layer of both passes)",
                            Double(maddsDefinedPerFrame) / 1e6)
    }

    /// "   (640x480 pass only)" for a layer that one of two passes ran, "   (no pass)" for
    /// one neither ran; "" where every pass ran it, at the model's own size, and for the
    /// rows that are not network layers (input, scratch, nms).
    func passNote(_ layer: String) -> String {
        guard inputWidth * inputHeight > modelInputArea,
              let l = layerMAdds.first(where: { $0.name == layer }), l.passes.count < 2 else { return "" }
        return l.passes.isEmpty ? "   (no pass)" : "   (\(l.passes[0]) pass only)"
    }

    func table() -> String {
        func kib(_ b: Int) -> String { String(format: "%9d B (%6.1f KiB)", b, Double(b) / 1024) }
        var s = """
        rnnpool-cam bench: \(model) (\(precision) line buffers)
          frame              \(frameWidth)x\(frameHeight) (\(frameSource)), \(frames) frames, single thread
          cpu                \(cpu.summary)
          kernels            \(kernels.summary)
          network input      \(inputWidth)x\(inputHeight)
          median             \(String(format: "%.3f", msPerFrameMedian)) ms/frame (min \(String(format: "%.3f", msPerFrameMin)), max \(String(format: "%.3f", msPerFrameMax)))
          FPS                \(String(format: "%.1f", fps))
          multiply-adds      \(maddsSummary)
          peak arena         \(kib(peakArenaBytes))   cap \(kib(ramCapBytes))   input \(input)
          input streamed     \(streamedPeakBytes.map(kib) ?? "unknown")   (3 rows at a time)
          input held whole   \(heldFramePeakBytes.map(kib) ?? "unknown")   (--hold-frame)
          weights (flash)    \(kib(weightBytes))
          faces found        \(facesFound)
        conventional networks, planned in the same precision (\(precision)):
        """
        for b in baselines {
            s += "\n  " + b.name.padding(toLength: 20, withPad: " ", startingAt: 0) + kib(b.peakBytes)
                + String(format: "   %.1fx ours", b.ratio) + "   (peak at \(b.peakLayer))"
        }
        s += "\nper-layer arena use (peak while the layer ran / the layer's own buffers):"
        for l in layers {
            s += "\n  " + l.name.padding(toLength: 18, withPad: " ", startingAt: 0) + " " + kib(l.peakBytes) + "  own " + kib(l.ownBytes)
                + passNote(l.name)
        }
        s += "\nper-layer multiply-adds (the layers that ran):"
        for l in layerMAdds {
            s += "\n  " + l.name.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: " %8.2f M", Double(l.madds) / 1e6)
                + passNote(l.name)
        }
        if !render.isEmpty {
            s += "\nterminal render per frame (median; mostly libchafa):"
            for r in render {
                let what = "\(r.columns)x\(r.rows) \(r.mode)\(r.overlay ? " + overlay" : "")"
                s += "\n  " + what.padding(toLength: 30, withPad: " ", startingAt: 0)
                    + String(format: " render %6.3f ms", r.renderMsMedian)
                    + (r.paintMsMedian.map { String(format: "   ncurses paint %6.3f ms", $0) } ?? "")
            }
        }
        return s
    }
}
