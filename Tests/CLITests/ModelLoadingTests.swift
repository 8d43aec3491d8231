import Foundation
import RNNPoolEngine
import XCTest

/// How the binary finds, loads and runs the face model: the shipped one, one named by
/// RNNPOOL_CAM_MODEL, none at all, a broken one, and a RAM cap that is too small.
final class ModelLoadingTests: XCTestCase {
    let scratch = Scratch()

    /// The random-weights model the engine's golden tests use: a valid file whose
    /// scores are high enough that it reports boxes on any picture.
    static let randomModel = BinaryRunner.repoRoot + "/Tests/RNNPoolEngineTests/Fixtures/random-model.rpm"
    static let shippedModel = BinaryRunner.repoRoot + "/assets/models/rnnpool-face.rpm"

    func testWithoutAModelFileFacesAreEmptyAndStderrSaysSo() throws {
        // A copy of the binary outside the repository finds no assets/ above it or the
        // working directory, as on a machine where the model was not installed.
        let binary = scratch.path("rnnpool-cam")
        try FileManager.default.copyItem(atPath: try BinaryRunner.binaryPath(), toPath: binary)
        let pgm = scratch.write("a.pgm", Array("P5 40 30 255\n".utf8) + [UInt8](repeating: 90, count: 1200))
        let r = BinaryRunner.collect(try BinaryRunner.launch(binary, ["detect", "--json", pgm], directory: scratch.directory))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdoutLines.count, 1)
        XCTAssertEqual((try jsonObject(r.stdoutLines[0])["faces"] as? [Any])?.count, 0)
        XCTAssertEqual(r.stderr, "rnnpool-cam: no face model is loaded (assets/models/rnnpool-face.rpm not found; set RNNPOOL_CAM_MODEL to use another file); reporting no faces\n")
    }

    func testHeadlessRunsTheModelNamedByTheEnvironmentUnderTheDefaultCap() throws {
        let r = try BinaryRunner.run([BinaryRunner.demo, "--headless", "--as-fast-as-possible", "--frames", "2"],
                                     environment: ["RNNPOOL_CAM_MODEL": Self.randomModel])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdoutLines.count, 2)
        for line in r.stdoutLines {
            let o = try jsonObject(line)
            let faces = try XCTUnwrap(o["faces"] as? [[String: Any]])
            XCTAssertFalse(faces.isEmpty, "the random model scores boxes above 0.5 everywhere")
            for face in faces {
                let x = try XCTUnwrap(face["x"] as? Double), w = try XCTUnwrap(face["w"] as? Double)
                let y = try XCTUnwrap(face["y"] as? Double), h = try XCTUnwrap(face["h"] as? Double)
                XCTAssertTrue(x >= 0 && y >= 0 && x + w <= 320.01 && y + h <= 240.01, "box outside the frame: \(face)")
                XCTAssertGreaterThanOrEqual(try XCTUnwrap(face["score"] as? Double), 0.5)
            }
            let memory = try XCTUnwrap(o["memory"] as? [String: Any])
            XCTAssertEqual(memory["cap_bytes"] as? Int, 256 * 1024)
            let peak = try XCTUnwrap(memory["peak_bytes"] as? Int)
            XCTAssertGreaterThan(peak, 320 * 240, "the detector's own 320x240 input lives in the arena")
            XCTAssertLessThanOrEqual(peak, 256 * 1024)
            XCTAssertGreaterThan(try XCTUnwrap(memory["baseline_peak_bytes"] as? Int), peak)
        }
    }

    func testABrokenModelFileIsAOneLineErrorNamingIt() throws {
        let bad = scratch.write("broken.rpm", Array("NOTAMODEL and some more bytes".utf8))
        let r = try BinaryRunner.run(["detect", "--json", BinaryRunner.demo], environment: ["RNNPOOL_CAM_MODEL": bad])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains(bad), r.stderr)
    }

    func testACapTooSmallIsReportedPerFrameWithTheMissingBytesAndTheRunGoesOn() throws {
        let r = try BinaryRunner.run([BinaryRunner.demo, "--headless", "--as-fast-as-possible", "--frames", "3", "--ram-cap", "16K"],
                                     environment: ["RNNPOOL_CAM_MODEL": Self.randomModel])
        XCTAssertEqual(r.stdoutLines.count, 3, r.stderr)
        for line in r.stdoutLines {
            let o = try jsonObject(line)
            XCTAssertEqual((o["faces"] as? [Any])?.count, 0)
            let error = try XCTUnwrap(o["error"] as? String)
            XCTAssertTrue(error.contains("missing"), error)
        }
        // Said once on stderr when it first happens, not once per frame, and the run
        // ends with a line saying how many frames failed, and status 1 (issue 20: it
        // exited 0 though every frame failed).
        let errors = r.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(errors.count, 2, r.stderr)
        XCTAssertTrue(errors.first?.hasPrefix("rnnpool-cam: frame 0: ") == true && errors[0].contains("missing"), r.stderr)
        XCTAssertTrue(errors.last?.hasPrefix("rnnpool-cam: the detector failed on 3 of 3 frames: ") == true, r.stderr)
        XCTAssertEqual(r.status, 1)
    }

    func testTheShippedModelFindsTheAstronautsFace() throws {
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.shippedModel), "the shipped model \(Self.shippedModel) is missing")
        // The first demo frame shows the astronaut's face in the middle third of the picture.
        let r = try BinaryRunner.run([BinaryRunner.demo, "--headless", "--as-fast-as-possible", "--frames", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let faces = try XCTUnwrap(try jsonObject(r.stdoutLines[0])["faces"] as? [[String: Any]])
        XCTAssertFalse(faces.isEmpty, "no face found in the demo's first frame")
        let best = faces[0]
        let cx = (best["x"] as? Double ?? 0) + (best["w"] as? Double ?? 0) / 2
        let cy = (best["y"] as? Double ?? 0) + (best["h"] as? Double ?? 0) / 2
        XCTAssertTrue((95...155).contains(cx) && (50...105).contains(cy), "best face centre at \(cx),\(cy)")
    }

    func testTheModelsOwnThresholdIsTheDefaultAndTheDemoShowsOneBoxOnItsOneFace() throws {
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.shippedModel), "the shipped model \(Self.shippedModel) is missing")
        let threshold = Double(try RNNPoolModel.load(path: Self.shippedModel).architecture.postprocess.scoreThreshold)
        XCTAssertNotEqual(threshold, 0.5, "the shipped model should carry a threshold chosen on val")
        // Raw detections: every score at or above the model's threshold.
        let raw = try BinaryRunner.run([BinaryRunner.demo, "--headless", "--as-fast-as-possible", "--no-track"])
        XCTAssertEqual(raw.status, 0, raw.stderr)
        XCTAssertEqual(raw.stdoutLines.count, 60)
        for line in raw.stdoutLines {
            for f in try XCTUnwrap(try jsonObject(line)["faces"] as? [[String: Any]]) {
                XCTAssertGreaterThanOrEqual(f["score"] as? Double ?? 0, threshold - 1e-6)
            }
        }
        // What a user sees (tracked, the default): one box, one id, on the one face.
        let r = try BinaryRunner.run([BinaryRunner.demo, "--headless", "--as-fast-as-possible"])
        XCTAssertEqual(r.status, 0, r.stderr)
        var ids: [Int] = []
        for line in r.stdoutLines {
            let faces = try XCTUnwrap(try jsonObject(line)["faces"] as? [[String: Any]])
            XCTAssertEqual(faces.count, 1, line)
            ids += faces.compactMap { $0["id"] as? Int }
        }
        XCTAssertEqual(r.stdoutLines.count, 60)
        XCTAssertEqual(Set(ids).count, 1, "the face keeps one id through the clip")
        // --threshold still overrides the model's own.
        let low = try BinaryRunner.run([BinaryRunner.demo, "--headless", "--as-fast-as-possible", "--frames", "1", "--threshold", "0.05"])
        let lowFaces = try XCTUnwrap(try jsonObject(low.stdoutLines[0])["faces"] as? [[String: Any]])
        XCTAssertTrue(lowFaces.contains { ($0["score"] as? Double ?? 1) < threshold }, "no box under the default threshold at 0.05")
    }

    /// A looping replay shows its one face as one face with id 1 through every restart:
    /// no ghost of the last pass's box beside it, no growing ids (issue 20).
    func testALoopingReplayHasNoGhostFaceAtItsRestart() throws {
        let r = try BinaryRunner.run([BinaryRunner.demo, "--headless", "--as-fast-as-possible", "--loop", "--frames", "64"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdoutLines.count, 64, "the 60-frame clip and the start of its second pass")
        for line in r.stdoutLines {
            let faces = try XCTUnwrap(try jsonObject(line)["faces"] as? [[String: Any]])
            XCTAssertEqual(faces.count, 1, line)
            XCTAssertEqual(faces.first?["id"] as? Int, 1, line)
        }
    }
}
