// swift-tools-version:6.0
import Foundation
import PackageDescription

// Compute-heavy targets are built with -O even in debug: the engine's loops and the
// frame converters run hundreds of times slower unoptimised, which would make the
// debug test suite crawl. (unsafeFlags is fine here: this is a root package.)
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"])]

// The engine's SIMD16 loops are built for the CPU of the machine that builds them:
// with AVX-512 one SIMD16<Float> operation is one instruction instead of two AVX2 ones
// (a frame takes 16% less time on this project's machines, docs/BENCHMARKS.md); without
// it AVX2/FMA (every x86-64 CPU since 2013; ~1.5x faster than swiftc's SSE2 default).
// A binary meant for other machines: RNNPOOL_TARGET_CPU=haswell (or any -target-cpu
// value) in the environment, after `rm -rf .build` (SwiftPM caches this manifest).
// The engine's build variants, each one compilation condition, set here for the host and
// by scripts/m4/build.sh for the firmware (and by scripts/fuzz.sh like here):
//   RNNPOOL_HOST         a hosted build: Foundation, Codable, the C kernels (CKernels) linked
//   RNNPOOL_HOST_X86_64  ... on x86-64, where the AVX-512 VNNI expand can be chosen at run time
//   RNNPOOL_AVX512       ... built for a CPU with AVX-512 (below)
//   RNNPOOL_FIRMWARE     the Cortex-M4 firmware (Embedded Swift, Sources/RNNPoolEngine/Core only)
#if arch(x86_64)
let engineVariant: [SwiftSetting] = [.define("RNNPOOL_HOST"), .define("RNNPOOL_HOST_X86_64")]
#else
let engineVariant: [SwiftSetting] = [.define("RNNPOOL_HOST")]
#endif

#if arch(x86_64)
func engineTargetCPU() -> String {
    if let forced = ProcessInfo.processInfo.environment["RNNPOOL_TARGET_CPU"], !forced.isEmpty { return forced }
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    guard let flagLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return "haswell" }
    let flags = Set(flagLine.split(separator: " ").map(String.init))
    // skylake-avx512's instruction set: the AVX-512 subsets every AVX-512 CPU has.
    let avx512 = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
    return avx512 ? "skylake-avx512" : "haswell"
}
// RNNPOOL_AVX512: the target CPU has AVX-512, so a SIMD16<Float> is one of 32 registers;
// without it (AVX2: two of 16) kernels keep fewer accumulators live so none spill.
let avx512CPUs: Set<String> = ["skylake-avx512", "cascadelake", "cooperlake", "icelake-client", "icelake-server",
                               "tigerlake", "rocketlake", "sapphirerapids", "emeraldrapids", "graniterapids",
                               "znver4", "znver5"]
let engineSettings: [SwiftSetting] = [.unsafeFlags(["-O", "-target-cpu", engineTargetCPU()])] + engineVariant
    + (avx512CPUs.contains(engineTargetCPU()) ? [.define("RNNPOOL_AVX512")] : [])
#else
let engineSettings: [SwiftSetting] = optimised + engineVariant
#endif

let package = Package(
    name: "rnnpool-cam",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rnnpool-cam", targets: ["rnnpool-cam"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries, exposed through shim headers (function-like macros and
        // variadic C functions cannot be imported into Swift directly).
        .systemLibrary(name: "CV4L2", pkgConfig: "libv4l2", providers: [.apt(["libv4l-dev"])]),
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        // libchafa turns the frame into terminal symbols and colours for the preview.
        .systemLibrary(name: "CChafa", pkgConfig: "chafa", providers: [.apt(["libchafa-dev", "libglib2.0-dev"])]),
        // FFmpeg's libraries read the clips and photos people have (MP4, WebM, JPEG, PNG…):
        // their headers here, the libraries loaded on first use by CFFmpegLoader (linked,
        // they would cost every run ~29 MB resident).
        .systemLibrary(name: "CFFmpeg",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]),

        // Reading what files and devices say without trusting it: bounded whole-file
        // reads, overflow-checked arithmetic, printable excerpts for error messages.
        .target(name: "InputSafety", swiftSettings: optimised),
        // Frames come in: camera capture, .y4m replay and recording, still images, clips
        // and photos through FFmpeg.
        .target(name: "CFFmpegLoader", cSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("dl")]),
        // HEIF and AVIF photos (an iPhone's .HEIC), which FFmpeg 5.1 cannot read: libheif,
        // loaded on first use like FFmpeg (its header from libheif-dev).
        .target(name: "CHeifLoader", cSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "FrameIO", dependencies: ["CV4L2", "CFFmpeg", "CFFmpegLoader", "CHeifLoader", "InputSafety"],
                swiftSettings: optimised),
        // The detector runs: model file, RAM-capped arena, streaming RNNPool network.
        // Kernels in C for instructions Swift cannot name (AVX-512 VNNI), chosen at run time.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "RNNPoolEngine", dependencies: ["InputSafety", "CKernels"], swiftSettings: engineSettings),
        // The live pipeline ties them: capture → detect → track → advise, its threads,
        // the latest-frame slot, the recording, the rates; the UI and headless run it.
        .target(name: "LivePipeline", dependencies: ["FrameIO", "RNNPoolEngine"], swiftSettings: optimised),
        // The terminal shows it: cell-grid rendering, ncurses front end, key handling.
        .target(name: "TerminalUI", dependencies: ["CNcurses", "CChafa", "FrameIO", "RNNPoolEngine", "LivePipeline"],
                swiftSettings: optimised),

        .executableTarget(
            name: "rnnpool-cam",
            dependencies: [
                "InputSafety", "FrameIO", "RNNPoolEngine", "LivePipeline", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "InputSafetyTests", dependencies: ["InputSafety"]),
        .testTarget(name: "FrameIOTests", dependencies: ["FrameIO", "CV4L2"]),
        .testTarget(name: "RNNPoolEngineTests", dependencies: ["RNNPoolEngine"], resources: [.copy("Fixtures")],
                    swiftSettings: engineVariant),
        .testTarget(name: "LivePipelineTests", dependencies: ["LivePipeline", "FrameIO", "RNNPoolEngine"]),
        // Snapshots/ holds the expected screens as text, read from the source tree.
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "CChafa", "FrameIO", "RNNPoolEngine", "LivePipeline"],
                    exclude: ["Snapshots"]),
        // CLITests run the built binary, and test the headless JSON against a fake detector
        // through @testable import of the executable target.
        // Repro/ holds the hostile inputs the regression tests run the binary on.
        .testTarget(name: "CLITests", dependencies: ["FrameIO", "RNNPoolEngine", "LivePipeline", "rnnpool-cam"],
                    exclude: ["Repro"]),
    ],
    swiftLanguageModes: [.v6]
)
