import FrameIO
import Foundation
import RNNPoolEngine
import XCTest

/// The engine core compiled with Embedded Swift into a Cortex-M4 firmware whose whole
/// RAM is one 256 KiB region, run on QEMU's mps2-an386 (scripts/m4/): it must find the
/// same faces as the host engine on the same frames, and use the arena the host
/// measures. Skipped, saying why, where qemu-system-arm or the ARM libgcc (soft double
/// routines) is missing; scripts/setup.sh installs both.
final class CortexM4FirmwareTests: XCTestCase {
    let scratch = Scratch()
    static let model = BinaryRunner.repoRoot + "/assets/models/rnnpool-face.rpm"

    /// The astronaut (first frame of the demo clip) and a later frame of the clip.
    static let frameIndices = [0, 30]
    /// Those, then a 200×140 crop around the astronaut's face, which the letterbox
    /// enlarges 1.6× by its bilinear interpolation (32-bit integers on the M4).
    static let frameNames = ["frame 0", "frame 30", "frame 0's face enlarged"]

    func testFirmwareFindsTheHostEnginesBoxesOnAnEmulatedCortexM4() throws {
        try skipUnlessToolsPresent()
        let frames = try writeFrames()
        let out = scratch.path("m4")
        let build = try BinaryRunner.tool("/bin/bash", [BinaryRunner.repoRoot + "/scripts/m4/build.sh", "--model", Self.model,
                                                        "--out", out] + frames.map(\.path),
                                          environment: ["RNNPOOL_CAM": try BinaryRunner.binaryPath()])
        XCTAssertEqual(build.status, 0, "firmware build failed:\n\(build.stderr)")
        guard build.status == 0 else { return }

        let run = try BinaryRunner.tool("/bin/bash", [BinaryRunner.repoRoot + "/scripts/m4/run.sh", out + "/firmware.elf"])
        let text = String(decoding: run.stdout, as: UTF8.self)
        XCTAssertEqual(run.status, 0, "firmware failed:\n\(text)\n\(run.stderr)")
        let firmware = try FirmwareOutput(text)
        XCTAssertEqual(firmware.frames.count, frames.count, text)
        guard firmware.frames.count == frames.count else { return }

        // The same frames through the host engine, in this process: int8, the same threshold
        // (the model's own, which m4-image and detect both default to; with box voting the
        // threshold decides which candidates vote, so it moves boxes too).
        let model = try RNNPoolModel.load(path: Self.model)
        let threshold = model.architecture.postprocess.scoreThreshold
        let detector = try RNNPoolDetector(model: model, ramCapBytes: 256 * 1024, precision: .int8)
        var hostPeak = 0
        for (i, f) in frames.enumerated() {
            let host = try f.frame.luma.withUnsafeBufferPointer {
                try detector.detect(luma: $0, width: f.frame.width, height: f.frame.height, threshold: threshold)
            }
            hostPeak = max(hostPeak, host.memory.peakBytes)
            // Same code, same IEEE single-precision arithmetic (fused multiply-adds on
            // both): the boxes are identical to the bit.
            XCTAssertEqual(firmware.frames[i], host.faces.map { [$0.x, $0.y, $0.w, $0.h, $0.score].map(\.bitPattern) },
                           "\(Self.frameNames[i]): firmware \(firmware.frames[i]) host \(host.faces)")
        }
        XCTAssertFalse(firmware.frames[0].isEmpty, "the astronaut's face must be found: \(text)")
        XCTAssertFalse(firmware.frames[2].isEmpty, "and in the enlarged crop: \(text)")

        // And what `rnnpool-cam detect --json` prints for them (rounded as it rounds).
        let detect = try BinaryRunner.run(["detect", "--json", "--precision", "int8"] + frames.map(\.path),
                                          environment: ["RNNPOOL_CAM_MODEL": Self.model])
        XCTAssertEqual(detect.status, 0, detect.stderr)
        for (i, line) in detect.stdoutLines.enumerated() {
            let faces = try XCTUnwrap(try jsonObject(line)["faces"] as? [[String: Any]])
            let printed = faces.map { f in ["x", "y", "w", "h", "score"].map { (f[$0] as? NSNumber)?.doubleValue ?? .nan } }
            let ours = firmware.frames[i].map { bits in
                bits.enumerated().map { k, b in Self.rounded(Float(bitPattern: b), decimals: k == 4 ? 4 : 1) }
            }
            XCTAssertEqual(printed, ours, "\(Self.frameNames[i]): detect --json \(line)")
        }

        // Memory: the arena the host measures, inside the RAM the linker reserved.
        XCTAssertEqual(firmware.arenaPeak, hostPeak, text)
        XCTAssertLessThanOrEqual(firmware.heapPeak, firmware.heapSize, text)
        XCTAssertLessThan(firmware.stackPeak, firmware.stackSize, text)
        XCTAssertGreaterThan(firmware.instructionsPerFrame.min() ?? 0, 1_000_000, text)

        // A firmware that needs more than the 256 KiB region does not link.
        let tooBig = try BinaryRunner.tool("/bin/bash", [BinaryRunner.repoRoot + "/scripts/m4/link.sh", out,
                                                         "\(firmware.heapSize)", "\(256 * 1024 - firmware.heapSize + 8)"])
        XCTAssertNotEqual(tooBig.status, 0)
        XCTAssertTrue(tooBig.stderr.contains("will not fit in region 'RAM'"), tooBig.stderr)
    }

    /// `build.sh --profile` (what the M4 work is steered by): the per-layer counts add up
    /// to the frame's instructions, the PC samples to one per 39,880 instructions, and
    /// `pc_profile.sh` names the functions they fall in; the boxes stay the host's.
    func testProfileBuildAccountsForTheFramesInstructions() throws {
        try skipUnlessToolsPresent()
        let frame = try writeFrames()[0]
        let out = scratch.path("m4-profile")
        let build = try BinaryRunner.tool("/bin/bash", [BinaryRunner.repoRoot + "/scripts/m4/build.sh", "--profile",
                                                        "--model", Self.model, "--out", out, frame.path],
                                          environment: ["RNNPOOL_CAM": try BinaryRunner.binaryPath()])
        XCTAssertEqual(build.status, 0, "firmware build failed:\n\(build.stderr)")
        guard build.status == 0 else { return }
        let run = try BinaryRunner.tool("/bin/bash", [BinaryRunner.repoRoot + "/scripts/m4/run.sh", out + "/firmware.elf"])
        let text = String(decoding: run.stdout, as: UTF8.self)
        XCTAssertEqual(run.status, 0, text)
        let firmware = try FirmwareOutput(text)
        let instructions = try XCTUnwrap(firmware.instructionsPerFrame.first, text)

        let model = try RNNPoolModel.load(path: Self.model)
        let detector = try RNNPoolDetector(model: model, ramCapBytes: 256 * 1024, precision: .int8)
        let host = try frame.frame.luma.withUnsafeBufferPointer {
            try detector.detect(luma: $0, width: frame.frame.width, height: frame.frame.height,
                                threshold: model.architecture.postprocess.scoreThreshold)
        }
        XCTAssertEqual(firmware.frames.first, host.faces.map { [$0.x, $0.y, $0.w, $0.h, $0.score].map(\.bitPattern) })

        let lines = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        let layers = lines.filter { $0.first == "profile" && $0.count == 4 }.compactMap { Int($0[3]) }
        XCTAssertGreaterThan(layers.count, 10, text)
        let charged = layers.reduce(0, +)
        XCTAssertLessThan(abs(charged - instructions), instructions / 100, "layers \(charged) of \(instructions)")

        let log = out + "/run.txt"
        try text.write(toFile: log, atomically: true, encoding: .utf8)
        let report = try BinaryRunner.tool("/bin/bash", [BinaryRunner.repoRoot + "/scripts/m4/pc_profile.sh",
                                                         out + "/firmware.elf", log, "40"])
        let summary = String(decoding: report.stdout, as: UTF8.self)
        XCTAssertEqual(report.status, 0, report.stderr)
        let rows = summary.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let samples = try XCTUnwrap(rows.first.flatMap { Int($0[0]) }, summary)
        XCTAssertEqual(Double(samples), Double(instructions) / 39_880, accuracy: Double(instructions) / 39_880 / 50, summary)
        // Function rows ("12.34% 567 name") up to the span table; the kernels are named.
        let functions = rows.dropFirst().prefix { !$0.joined(separator: " ").hasPrefix("hottest") }
        let attributed = functions.compactMap { $0.count >= 3 ? Int($0[1]) : nil }.reduce(0, +)
        XCTAssertGreaterThan(attributed, samples * 9 / 10, summary)
        XCTAssertTrue(functions.contains { $0.joined(separator: " ").contains("m4_expand16_int8") }, summary)
    }

    /// The generator's refusals are one line naming the file, exit status 1.
    func testFirmwareImageGeneratorRefusesBadInputInOneLine() throws {
        let missing = scratch.path("missing.pgm")
        let a = try BinaryRunner.run(["m4-image", "--out", scratch.path("o"), "--model", Self.model, missing])
        XCTAssertEqual(a.status, 1)
        XCTAssertEqual(a.stderr, "rnnpool-cam: m4-image: \(missing): no such file\n")
        let b = try BinaryRunner.run(["m4-image", "--out", "/dev/null/x", "--model", Self.model, BinaryRunner.demo])
        XCTAssertEqual(b.status, 1)
        XCTAssertEqual(b.stderr, "rnnpool-cam: m4-image: /dev/null/x: cannot create this directory\n")
        let random = BinaryRunner.repoRoot + "/Tests/RNNPoolEngineTests/Fixtures/random-model.rpm"
        let c = try BinaryRunner.run(["m4-image", "--out", scratch.path("o"), "--model", random, "--precision", "int8",
                                      BinaryRunner.demo])
        XCTAssertEqual(c.status, 1)
        XCTAssertTrue(c.stderr.hasPrefix("rnnpool-cam: m4-image: \(random): version 1 file without int8 activation scales"), c.stderr)
        XCTAssertEqual(c.stderr.filter { $0 == "\n" }.count, 1, c.stderr)
    }

    /// As JSONText rounds: to `decimals`, half away from zero, in double.
    static func rounded(_ v: Float, decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (Double(v) * scale).rounded() / scale
    }

    private func skipUnlessToolsPresent() throws {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        let qemu = path.contains { FileManager.default.isExecutableFile(atPath: "\($0)/qemu-system-arm") }
        let libgcc = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/gcc/arm-none-eabi"))?.contains {
            FileManager.default.fileExists(atPath: "/usr/lib/gcc/arm-none-eabi/\($0)/thumb/v7e-m+fp/hard/libgcc.a")
        } ?? false
        var missing: [String] = []
        if !qemu { missing.append("qemu-system-arm") }
        if !libgcc { missing.append("gcc-arm-none-eabi (its libgcc.a)") }
        if !missing.isEmpty {
            let why = "Cortex-M4 firmware test skipped: \(missing.joined(separator: " and ")) not installed (scripts/setup.sh installs them)"
            FileHandle.standardError.write(Data((why + "\n").utf8))
            throw XCTSkip(why)
        }
    }

    private func writeFrames() throws -> [(path: String, frame: Frame)] {
        let reader = try Y4MReader(path: BinaryRunner.demo, pacing: false)
        defer { reader.close() }
        var out: [(String, Frame)] = [], index = 0
        while let f = try reader.nextFrame(), index <= Self.frameIndices.last! {
            if Self.frameIndices.contains(index) {
                let path = scratch.path("frame\(index).pgm")
                try PNMImage.writePGM(f, to: path)
                out.append((path, f))
            }
            index += 1
        }
        var crop = out[0].1
        let (x0, y0) = (30, 0)
        (crop.width, crop.height, crop.chroma) = (200, 140, nil)
        let (whole, w) = (out[0].1.luma, out[0].1.width)
        crop.luma = []
        for y in y0..<(y0 + 140) { crop.luma += whole[(y * w + x0)..<(y * w + x0 + 200)] }
        let path = scratch.path("frame0-face.pgm")
        try PNMImage.writePGM(crop, to: path)
        out.append((path, crop))
        return out
    }
}

/// What the firmware prints (scripts/m4/Firmware.swift): per frame its boxes as the bit
/// patterns of x, y, w, h, score; then the memory it used.
struct FirmwareOutput {
    var frames: [[[UInt32]]] = []
    var instructionsPerFrame: [Int] = []
    var arenaPeak = 0, heapPeak = 0, heapSize = 0, stackPeak = 0, stackSize = 0

    init(_ text: String) throws {
        for line in text.split(separator: "\n") {
            let w = line.split(separator: " ").map(String.init)
            switch w.first {
            case "frame":
                frames.append([])
                if let i = w.firstIndex(of: "instructions"), i + 1 < w.count, let n = Int(w[i + 1]) { instructionsPerFrame.append(n) }
            case "face":
                guard !frames.isEmpty, w.count >= 6 else { throw Bad(line: String(line)) }
                let bits = try w[1...5].map { s -> UInt32 in
                    guard let v = UInt32(s, radix: 16) else { throw Bad(line: String(line)) }
                    return v
                }
                frames[frames.count - 1].append(bits)
            case "arena": arenaPeak = Int(w[2]) ?? -1
            case "heap": (heapPeak, heapSize) = (Int(w[2]) ?? -1, Int(w[5]) ?? -1)
            case "stack": (stackPeak, stackSize) = (Int(w[2]) ?? -1, Int(w[5]) ?? -1)
            default: break
            }
        }
    }

    struct Bad: Error, CustomStringConvertible {
        var line: String
        var description: String { "unreadable firmware line: \(line)" }
    }
}
