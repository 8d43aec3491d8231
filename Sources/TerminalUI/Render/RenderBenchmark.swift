import Foundation
import FrameIO
import RNNPoolEngine

/// Render cost per frame: the pure step from a frame, its boxes and the status to a grid
/// of cells (mostly libchafa choosing symbols and colours), and separately ncurses' share of a
/// redraw (handing the changed cells to ncurses and doupdate) on an off-screen
/// xterm-256color writing to /dev/null. A real terminal adds its own time to take the
/// bytes, which no benchmark here can speak for. The `bench` command reports both.
public enum RenderBenchmark {
    public struct Measurement: Sendable {
        public var columns: Int
        public var rows: Int
        public var mode: PreviewMode
        public var overlay: Bool
        /// Rendering the grid (the target's figure).
        public var medianMilliseconds: Double
        public var p90Milliseconds: Double
        /// Painting the grid through ncurses, when an off-screen terminal could be made.
        public var paintMedianMilliseconds: Double?
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var frames: Int
        public var frameWidth: Int
        public var frameHeight: Int
        public var measurements: [Measurement]

        public var description: String {
            var lines = ["render cost per frame (\(frameWidth)x\(frameHeight) frames, median of \(frames)):"]
            for m in measurements {
                let what = "\(m.columns)x\(m.rows) cells, \(m.mode.displayName)\(m.overlay ? " + memory overlay" : "")"
                var line = String(format: "  %@: render median %.3f ms, p90 %.3f ms", what, m.medianMilliseconds, m.p90Milliseconds)
                if let paint = m.paintMedianMilliseconds {
                    line += String(format: "; ncurses paint median %.3f ms", paint)
                }
                lines.append(line)
            }
            return lines.joined(separator: "\n")
        }
    }

    public static let standardSizes = [(columns: 120, rows: 40), (columns: 240, rows: 70)]

    public static func run(frames: Int = 200, frameWidth: Int = 320, frameHeight: Int = 240,
                           sizes: [(columns: Int, rows: Int)] = standardSizes,
                           includePaint: Bool = true) -> Report {
        let pictures = (0..<8).map { syntheticFrame(width: frameWidth, height: frameHeight, phase: $0) }
        let faces = [FaceBox(x: Float(frameWidth) * 0.3, y: Float(frameHeight) * 0.25,
                             w: Float(frameWidth) * 0.25, h: Float(frameHeight) * 0.35, score: 0.93),
                     FaceBox(x: Float(frameWidth) * 0.8, y: Float(frameHeight) * 0.7,
                             w: Float(frameWidth) * 0.3, h: Float(frameHeight) * 0.4, score: 0.71)]
        let memory = MemorySnapshot(capBytes: 256 * 1024, currentBytes: 8 * 1024, peakBytes: 190 * 1024,
                                    framePeakBytes: 185 * 1024,
                                    layers: (0..<12).map { LayerMemory(name: "layer\($0)", peakBytes: ($0 + 4) * 10_000) },
                                    timeline: (0..<400).map { 1000 * ($0 % 190) }, weightBytes: 90 * 1024,
                                    baselines: [BaselineMemory(name: "strided-conv CNN", peakBytes: 2_400_000)])
        let renderer = ScreenRenderer(capabilities: .full)
        var measurements: [Measurement] = []
        for size in sizes {
            // Only the main thread may use ncurses; the off-screen terminal is torn down
            // after each size.
            let screen = includePaint ? try? CursesScreen(offscreenColumns: size.columns, rows: size.rows) : nil
            defer { screen?.stop() }
            for (mode, overlay) in [(PreviewMode.symbols, false), (.halfBlock, false), (.ascii, false), (.symbols, true)] {
                var paintSamples: [Double] = []
                var samples: [Double] = []
                samples.reserveCapacity(frames)
                var checksum = 0
                for i in 0..<max(1, frames) {
                    let status = StatusInfo(source: "bench", frameWidth: frameWidth, frameHeight: frameHeight,
                                            captureFPS: 30, detector: .running, detectorMilliseconds: 20,
                                            detectorFPS: 30, renderMilliseconds: 0.5, faceCount: faces.count,
                                            threshold: 0.5, memory: memory, droppedFrames: i)
                    let state = ScreenState(frame: pictures[i % pictures.count], faces: faces, status: status,
                                            mode: mode, overlay: overlay ? .memory : .none,
                                            processRSSBytes: 20 << 20)
                    let start = DispatchTime.now().uptimeNanoseconds
                    let grid = renderer.render(state, columns: size.columns, rows: size.rows)
                    let rendered = DispatchTime.now().uptimeNanoseconds
                    samples.append(Double(rendered - start) / 1e6)
                    checksum &+= grid.cells.count   // keep the work observable
                    if let screen {
                        screen.paint(grid)
                        paintSamples.append(Double(DispatchTime.now().uptimeNanoseconds - rendered) / 1e6)
                    }
                }
                precondition(checksum > 0)
                samples.sort()
                paintSamples.sort()
                measurements.append(Measurement(columns: size.columns, rows: size.rows, mode: mode, overlay: overlay,
                                                medianMilliseconds: samples[samples.count / 2],
                                                p90Milliseconds: samples[samples.count * 9 / 10],
                                                paintMedianMilliseconds: paintSamples.isEmpty ? nil
                                                    : paintSamples[paintSamples.count / 2]))
            }
        }
        return Report(frames: max(1, frames), frameWidth: frameWidth, frameHeight: frameHeight,
                      measurements: measurements)
    }

    /// A moving diagonal pattern, so consecutive frames differ like a camera's do.
    static func syntheticFrame(width: Int, height: Int, phase: Int) -> Frame {
        var luma = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                luma[y * width + x] = UInt8(truncatingIfNeeded: (x &* 3 &+ y &* 2 &+ phase &* 17) ^ (y >> 3))
            }
        }
        return Frame(width: width, height: height, luma: luma, timestamp: Double(phase) / 30, index: phase)
    }
}
