// The Cortex-M4 firmware: the engine core (every file of Sources/RNNPoolEngine/Core, compiled
// unchanged from Sources/RNNPoolEngine) runs each linked frame and prints its boxes
// and the memory it used over semihosting. The weights and frames are in flash
// (image.S, image.swift: written by `rnnpool-cam m4-image`); the arena and everything
// else live in the 256 KiB RAM region of link.ld.

/// A frame in flash: 8-bit luma, `offset` bytes into m4_frames.
struct M4Frame {
    var width: Int
    var height: Int
    var offset: Int
}

@main
struct Firmware {
    static func main() {
        var tables = LinkedTables(base: m4_tables(), byteCount: Int(m4_tables_bytes()))
        let kernels = NetworkKernels(arch: m4Architecture, scales: m4Scales, linked: &tables)
        guard tables.atEnd else { fail("linked weight tables are longer than the architecture needs") }
        let arena = Arena(capBytes: m4ArenaBytes)
        let network = StreamingNetwork(arch: m4Architecture, kernels: kernels, arena: arena, scales: m4Scales)
        print("rnnpool-m4: \(m4Frames.count) frames, precision \(m4Scales == nil ? "float" : "int8"), arena cap \(m4ArenaBytes) bytes")
        for (i, f) in m4Frames.enumerated() {
            let start = m4_timer_ticks()
            let faces: [FaceBox]
            do {
                faces = try network.detectFaces(luma: m4_frames() + f.offset, width: f.width, height: f.height,
                                                threshold: m4Threshold)
            } catch {
                fail("frame \(i): arena overflow in layer \(error.layer): requested \(error.requestedBytes) bytes, available \(error.availableBytes)")
            }
            let ticks = m4_timer_ticks() &- start
            print("frame \(i) \(f.width)x\(f.height) faces \(faces.count) instructions \(UInt64(ticks) * UInt64(m4_instructions_per_tick()))")
            for b in faces {
                // Bit patterns: the host compares them exactly; millipixels for people.
                print("face \(hex(b.x)) \(hex(b.y)) \(hex(b.w)) \(hex(b.h)) \(hex(b.score))"
                      + "  x=\(milli(b.x)) y=\(milli(b.y)) w=\(milli(b.w)) h=\(milli(b.h)) score=\(milli(b.score))")
            }
        }
        #if RNNPOOL_M4_PROFILE
        m4_profile_enter(-1)
        // Every frame's instructions, by the layer that ran them (the letterbox and the
        // decoding count with the layer active at the time).
        for (i, name) in arena.layerNames.enumerated() {
            print("profile \(name) instructions \(m4_profile_instructions(Int32(i)))")
        }
        m4_pc_profile_print()
        #endif
        print("arena peak \(arena.peakBytes) bytes of \(m4ArenaBytes)")
        print("heap peak \(m4_heap_peak()) bytes of \(m4_heap_size())")
        print("stack peak \(m4_stack_peak()) bytes of \(m4_stack_size())")
        print("instructions per timer tick \(m4_instructions_per_tick())")
    }

    static func fail(_ message: String) -> Never {
        print("firmware: \(message)")
        m4_exit(1)
    }

    static func hex(_ v: Float) -> String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        var s = "", b = v.bitPattern
        for _ in 0..<8 {
            s.append(digits[Int(b >> 28)])
            b <<= 4
        }
        return s
    }

    /// v in thousandths, rounded toward zero ("12.345" for 12.3456).
    static func milli(_ v: Float) -> String {
        let m = Int(v * 1000)
        let sign = m < 0 ? "-" : "", a = m < 0 ? -m : m
        let frac = a % 1000
        return "\(sign)\(a / 1000)." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + "\(frac)"
    }
}
