/// Which implementation of each hot loop a detector runs on this CPU. The Swift loops are
/// compiled for one register width (Package.swift); the int8 expand and heads pick a C
/// kernel when the model loads, by what the CPU offers (`RNNPOOL_NO_VNNI` forces the
/// portable loops). `bench` prints it beside its timings, so that a figure names what
/// produced it: the same build runs different kernels on different machines (issue 22).
public struct ComputeKernels: Sendable, Equatable {
    /// The Swift SIMD loops' build: "avx512" (built for a CPU with AVX-512: a SIMD16<Float>
    /// is one register), "avx2" (other x86-64: kernels sized for AVX2's 16 registers), or
    /// "portable" (other architectures).
    public let swiftLoops: String
    /// The int8 expand: "avx512-vnni", "avx2" or "portable"; "float" on the float path.
    public let expand: String
    /// The int8 heads: "avx2" or "portable"; "float" on the float path.
    public let heads: String
    /// The int8 MBConv projection: "avx512-vnni", "avx2" or "portable"; "float" on the float path.
    public let projection: String

    init(network: StreamingNetwork, precision: Precision) {
        #if RNNPOOL_AVX512
        swiftLoops = "avx512"
        #elseif arch(x86_64)
        swiftLoops = "avx2"
        #else
        swiftLoops = "portable"
        #endif
        guard precision == .int8 else {
            expand = "float"
            heads = "float"
            projection = "float"
            return
        }
        var expand = "portable", heads = "portable", projection = "portable"
        #if RNNPOOL_HOST_X86_64
        // Every block and head of a network gets the same choice (it depends on the CPU only).
        switch network.blocks.lazy.compactMap({ $0.kernel.integerExpand?.kernel }).first {
        case .vnni: expand = "avx512-vnni"
        case .avx2: expand = "avx2"
        case nil: break
        }
        if network.heads.contains(where: { $0.kernel.integerKernel }) { heads = "avx2" }
        switch network.blocks.lazy.compactMap({ $0.kernel.projection?.kernel }).first {
        case .vnni: projection = "avx512-vnni"
        case .avx2: projection = "avx2"
        case .portable, nil: break
        }
        #endif
        self.expand = expand
        self.heads = heads
        self.projection = projection
    }
}
