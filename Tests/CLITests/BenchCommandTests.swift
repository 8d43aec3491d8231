import XCTest
@testable import rnnpool_cam

/// `rnnpool-cam bench`: the figures docs/BENCHMARKS.md records, checked for shape and
/// consistency (never for speed: the machines are shared and noisy).
final class BenchCommandTests: XCTestCase {
    func testJSONCarriesTheDocumentedFiguresAndTheRenderCost() throws {
        let r = try BinaryRunner.run(["bench", "--model", ModelLoadingTests.randomModel, "--frames", "3",
                                      "--warmup", "0", "--render-frames", "2", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdoutLines.count, 1)
        let o = try jsonObject(r.stdoutLines[0])
        for key in ["ms_per_frame_median", "peak_arena_bytes", "weight_bytes", "madds_per_frame", "baseline_peak_bytes"] {
            XCTAssertNotNil(o[key], "missing \(key)")
        }
        let peak = try XCTUnwrap(o["peak_arena_bytes"] as? Int)
        XCTAssertLessThanOrEqual(peak, 256 * 1024, "the default cap holds")
        XCTAssertGreaterThan(try XCTUnwrap(o["baseline_peak_bytes"] as? Int), peak)
        XCTAssertGreaterThan(try XCTUnwrap(o["madds_per_frame"] as? Int), 50_000_000)
        XCTAssertEqual(o["madds_per_frame"] as? Int, o["madds_defined_per_frame"] as? Int,
                       "at the model's own size every layer runs")
        let layers = try XCTUnwrap(o["layer_peak_bytes"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(layers.compactMap { $0["own_bytes"] as? Int }.reduce(0, +), peak / 2,
                                    "the layers' own buffers account for the arena")
        let render = try XCTUnwrap(o["render"] as? [[String: Any]])
        XCTAssertEqual(Set(render.compactMap { $0["columns"] as? Int }), [120, 240])
    }

    /// Issue 23: at --input-size 640x480 the shipped detector, input streamed, stays
    /// within 96 KiB, and the report says which input it timed. It counts the
    /// multiply-adds of the layers that ran and says which pass ran each: from a 640x480
    /// source the first pass passes over head 4 and block 4, the 320x240 pass over heads
    /// 0-2 (NETWORK.md §6b).
    func testInputSize640x480FitsIn96KiBAndCountsTheLayersThatRan() throws {
        let args = ["bench", "--model", ModelLoadingTests.shippedModel, "--input-size", "640x480",
                    "--size", "640x480", "--frames", "1", "--warmup", "0", "--render-frames", "0"]
        let r = try BinaryRunner.run(args + ["--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try jsonObject(r.stdoutLines[0])
        XCTAssertEqual(o["input_width"] as? Int, 640)
        XCTAssertEqual(o["input_height"] as? Int, 480)
        XCTAssertLessThanOrEqual(try XCTUnwrap(o["peak_arena_bytes"] as? Int), 96 * 1024)
        XCTAssertGreaterThan(try XCTUnwrap(o["held_frame_peak_bytes"] as? Int), 640 * 480, "held, the frame alone is 300 KiB")

        let ran = try XCTUnwrap(o["madds_per_frame"] as? Int), defined = try XCTUnwrap(o["madds_defined_per_frame"] as? Int)
        let layers = try XCTUnwrap(o["layer_madds"] as? [[String: Any]])
        XCTAssertEqual(layers.compactMap { $0["madds"] as? Int }.reduce(0, +), ran)
        XCTAssertLessThan(ran, defined, "skipped heads and blocks are not counted")
        var passes: [String: [String]] = [:]
        for l in layers { passes[try XCTUnwrap(l["name"] as? String)] = try XCTUnwrap(l["passes"] as? [String]) }
        XCTAssertEqual(passes["rnnpool"], ["640x480", "320x240"])
        XCTAssertEqual(passes["heads.0"], ["640x480"])
        XCTAssertEqual(passes["heads.3"], ["640x480", "320x240"])
        XCTAssertEqual(passes["heads.4"], ["320x240"])
        XCTAssertEqual(passes["blocks.4"], ["320x240"])

        let table = try BinaryRunner.run(args)
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains(String(format: "multiply-adds      %.1f M per frame (the layers that ran; %.1f M as defined",
                                                   Double(ran) / 1e6, Double(defined) / 1e6)), table.stdout)
        XCTAssertTrue(table.stdoutLines.contains { $0.hasPrefix("  heads.4 ") && $0.hasSuffix("(320x240 pass only)") },
                      table.stdout)
        XCTAssertFalse(table.stdoutLines.contains { $0.hasPrefix("  heads.3 ") && $0.contains("pass only") }, table.stdout)
    }

    func testAnInputSizeTheEngineCannotRunIsAUsageError() throws {
        for mode in [["bench", "--frames", "1"], ["detect", "x.pgm"], ["--headless"]] {
            let r = try BinaryRunner.run(mode + ["--input-size", "641x480"])
            XCTAssertEqual(r.status, 64, "\(mode): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("--input-size"), r.stderr)
            XCTAssertTrue(r.stderr.contains("641x480"), r.stderr)
        }
    }

    func testInt8ModelFitsIn128KiBAndShowsBothBaselinesInItsPrecision() throws {
        let int8Model = ModelLoadingTests.randomModel.replacingOccurrences(of: "random-model.rpm", with: "random-model-int8.rpm")
        var figures: [String: (peak: Int, baselines: [Int])] = [:]
        for precision in ["int8", "float"] {
            let r = try BinaryRunner.run(["bench", "--model", int8Model, "--precision", precision, "--frames", "1",
                                          "--warmup", "0", "--render-frames", "0", "--json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let o = try jsonObject(r.stdoutLines[0])
            XCTAssertEqual(o["precision"] as? String, precision)
            let baselines = try XCTUnwrap(o["baselines"] as? [[String: Any]])
            XCTAssertEqual(baselines.compactMap { $0["name"] as? String }, ["strided-conv CNN", "MobileNetV2-SSDLite"])
            let peak = try XCTUnwrap(o["peak_arena_bytes"] as? Int)
            for b in baselines {
                let ratio = try XCTUnwrap(b["ratio"] as? Double)
                XCTAssertEqual(ratio, Double(try XCTUnwrap(b["peak_bytes"] as? Int)) / Double(peak), accuracy: 1e-9)
            }
            figures[precision] = (peak, baselines.compactMap { $0["peak_bytes"] as? Int })
        }
        XCTAssertLessThanOrEqual(try XCTUnwrap(figures["int8"]).peak, 128 * 1024, "issue 9: 128 KiB with the input")
        XCTAssertEqual(try XCTUnwrap(figures["float"]).baselines, try XCTUnwrap(figures["int8"]).baselines.map { 4 * $0 },
                       "baselines are planned in the precision compared: 4 bytes per float activation, 1 per int8")
    }

    func testACapBelowThePeakFailsWithTheMissingBytes() throws {
        let r = try BinaryRunner.run(["bench", "--model", ModelLoadingTests.randomModel, "--frames", "1",
                                      "--ram-cap", "100K", "--render-frames", "0"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("rnnpool-cam bench: arena overflow in layer "), r.stderr)
        XCTAssertTrue(r.stderr.contains("missing"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1)
    }

    /// The streamed input is the default accounting; the held frame is reported beside it
    /// and becomes the accounting with --hold-frame (issue 23).
    func testStreamedAndHeldFramePeaksAreBothReported() throws {
        var peaks: [Bool: [String: Any]] = [:]
        for hold in [false, true] {
            let r = try BinaryRunner.run(["bench", "--frames", "1", "--warmup", "0", "--render-frames", "0", "--json"]
                                         + (hold ? ["--hold-frame"] : []))
            XCTAssertEqual(r.status, 0, r.stderr)
            peaks[hold] = try jsonObject(r.stdout)
        }
        let streamed = try XCTUnwrap(peaks[false]), held = try XCTUnwrap(peaks[true])
        XCTAssertEqual(streamed["input"] as? String, "streamed")
        XCTAssertEqual(held["input"] as? String, "held")
        let s = try XCTUnwrap(streamed["peak_arena_bytes"] as? Int), h = try XCTUnwrap(held["peak_arena_bytes"] as? Int)
        XCTAssertEqual(streamed["streamed_peak_bytes"] as? Int, s)
        XCTAssertEqual(streamed["held_frame_peak_bytes"] as? Int, h)
        XCTAssertEqual(held["streamed_peak_bytes"] as? Int, s)
        XCTAssertGreaterThan(h - s, 320 * 240 / 2, "the held frame costs most of its 76,800 bytes")
        XCTAssertLessThan(s, 64 * 1024, "the shipped model streams in under 64 KiB")
    }

    /// Counts that would overflow or reserve absurd memory are usage errors (issue 19, F4).
    func testOutOfRangeCountsAreUsageErrors() throws {
        for args in [["--frames", "9223372036854775807", "--warmup", "1"], ["--frames", "1", "--render-frames", "2305843009213693951"],
                     ["--warmup", "100001"], ["--frames", "0"]] {
            let r = try BinaryRunner.run(["bench"] + args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
    }

    /// On a terminal, bench says what it is timing before the minutes it takes (issue 20:
    /// its defaults ran 2 min 21 s in silence); through a pipe it prints only the report.
    func testOnATerminalBenchSaysWhatItTimes() throws {
        let binary = try BinaryRunner.binaryPath()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qec", "\(binary) bench --frames 2 --warmup 1 --render-frames 0", "/dev/null"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("rnnpool-cam bench: timing the detector on 3 frames (1 untimed)"), text)
        let piped = try BinaryRunner.run(["bench", "--frames", "2", "--warmup", "1", "--render-frames", "0"])
        XCTAssertEqual(piped.stderr, "")
    }
}

/// `bench` names the CPU and the kernels behind its figures (issue 22: the same build runs
/// different kernels on different cores, and a timing without them cannot be compared).
final class BenchKernelReportTests: XCTestCase {
    func testTheReportNamesThisCPUAndTheKernelsItChose() throws {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let expected = CPUDescription(cpuinfo: cpuinfo)
        let hasAVX2 = expected.features.contains("avx2")
        for (env, precision) in [([String: String](), "int8"), (["RNNPOOL_NO_VNNI": "1"], "int8"), ([:], "float")] {
            let r = try BinaryRunner.run(["bench", "--model", ModelLoadingTests.shippedModel, "--precision", precision,
                                          "--frames", "1", "--warmup", "0", "--render-frames", "0", "--json"],
                                         environment: env)
            XCTAssertEqual(r.status, 0, r.stderr)
            let o = try jsonObject(r.stdoutLines[0])
            let cpu = try XCTUnwrap(o["cpu"] as? [String: Any])
            XCTAssertEqual(cpu["model_name"] as? String, expected.modelName)
            XCTAssertEqual(cpu["features"] as? [String], expected.features)
            let k = try XCTUnwrap(o["kernels"] as? [String: String])
            let what = "\(env) \(precision): \(k)"
            #if arch(x86_64)
            XCTAssertEqual(k["swift_loops"].map { ["avx2", "avx512"].contains($0) }, true, what)
            #endif
            if precision == "float" {
                XCTAssertEqual(k["expand"], "float", what)
                XCTAssertEqual(k["heads"], "float", what)
                XCTAssertEqual(k["projection"], "float", what)
            } else if env["RNNPOOL_NO_VNNI"] != nil || !hasAVX2 {
                XCTAssertEqual(k["expand"], "portable", what)
                XCTAssertEqual(k["heads"], "portable", what)
                XCTAssertEqual(k["projection"], "portable", what)
            } else {
                let vnni = expected.features.contains("avx512_vnni")
                XCTAssertEqual(k["expand"], vnni ? "avx512-vnni" : "avx2", what)
                XCTAssertEqual(k["projection"], vnni ? "avx512-vnni" : "avx2", what)
                XCTAssertEqual(k["heads"], "avx2", what)
            }
        }
        let table = try BinaryRunner.run(["bench", "--model", ModelLoadingTests.shippedModel, "--frames", "1",
                                          "--warmup", "0", "--render-frames", "0"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("cpu                \(expected.summary)"), table.stdout)
        XCTAssertTrue(table.stdout.contains("kernels            Swift loops sized for"), table.stdout)
    }

    func testCPUInfoIsReadFromTheFirstProcessorAndMadePrintable() {
        let intel = """
        processor\t: 0
        vendor_id\t: GenuineIntel
        cpu family\t: 6
        model\t\t: 207
        model name\t: INTEL(R) XEON(R) PLATINUM 8581C\u{1B}[2J
        flags\t\t: fpu sse2 avx2 fma avx512f avx512bw avx512_vnni amx_int8 avx_vnni

        processor\t: 1
        model name\t: something else
        """
        let d = CPUDescription(cpuinfo: intel)
        XCTAssertEqual(d.modelName, "INTEL(R) XEON(R) PLATINUM 8581C\\x1B[2J")
        XCTAssertEqual(d.family, 6)
        XCTAssertEqual(d.model, 207)
        XCTAssertEqual(d.features, ["avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8"])
        XCTAssertEqual(d.summary, "INTEL(R) XEON(R) PLATINUM 8581C\\x1B[2J (family 6, model 207; avx2 fma avx512f avx512_vnni avx_vnni amx_int8)")

        let arm = CPUDescription(cpuinfo: "processor\t: 0\nBogoMIPS\t: 48.00\nFeatures\t: fp asimd\nCPU part\t: 0xd0c\n")
        XCTAssertNil(arm.modelName)
        XCTAssertEqual(arm.features, [])
        XCTAssertEqual(arm.summary, "unknown")
        XCTAssertEqual(CPUDescription(cpuinfo: "").summary, "unknown")
    }
}
