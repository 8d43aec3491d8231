import FrameIO
import RNNPoolEngine
@testable import TerminalUI

/// Small deterministic pictures and figures for the rendering tests.
enum Fixtures {
    /// Left-to-right ramp from black to white with a white square in the middle third.
    static func gradient(width: Int = 32, height: Int = 24) -> Frame {
        var luma = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let inSquare = x >= width / 3 && x < 2 * width / 3 && y >= height / 3 && y < 2 * height / 3
                luma[y * width + x] = inSquare ? 255 : UInt8(x * 255 / (width - 1))
            }
        }
        return Frame(width: width, height: height, luma: luma, timestamp: 0, index: 0)
    }

    /// Top half black, bottom half white: each half-block cell straddling nothing.
    static func split(width: Int = 8, height: Int = 8) -> Frame {
        var luma = [UInt8](repeating: 0, count: width * height)
        for y in (height / 2)..<height { for x in 0..<width { luma[y * width + x] = 255 } }
        return Frame(width: width, height: height, luma: luma, timestamp: 0, index: 0)
    }

    static let memory = MemorySnapshot(
        capBytes: 256 * 1024, currentBytes: 12 * 1024, peakBytes: 188 * 1024, framePeakBytes: 180 * 1024,
        layers: [LayerMemory(name: "rnnpool", peakBytes: 150 * 1024),
                 LayerMemory(name: "conv1", peakBytes: 120 * 1024),
                 LayerMemory(name: "conv2", peakBytes: 96 * 1024),
                 LayerMemory(name: "heads", peakBytes: 40 * 1024)],
        timeline: [10, 40, 90, 150, 188, 150, 120, 96, 60, 40].map { $0 * 1024 },
        weightBytes: 90 * 1024, baselines: [BaselineMemory(name: "strided-conv CNN", peakBytes: 1350 * 1024),
                    BaselineMemory(name: "MobileNetV2-SSDLite", peakBytes: 2250 * 1024)])

    static func status(width: Int = 32, height: Int = 24) -> StatusInfo {
        StatusInfo(source: "demo.y4m", frameWidth: width, frameHeight: height, captureFPS: 15,
                   detector: .running, detectorMilliseconds: 12.5, detectorFPS: 14.8, displayFPS: 15,
                   renderMilliseconds: 0.42, faceCount: 1, threshold: 0.6, memory: memory,
                   droppedFrames: 3)
    }
}
