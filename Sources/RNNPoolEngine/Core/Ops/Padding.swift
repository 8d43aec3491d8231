/// Channel counts rounded up to whole SIMD vectors: SIMD8 rows (8) and the MBConv
/// kernel's SIMD16 expanded-channel groups (16).
@inline(__always) func roundUp8(_ n: Int) -> Int { (n + 7) & ~7 }
@inline(__always) func roundUp16(_ n: Int) -> Int { (n + 15) & ~15 }
