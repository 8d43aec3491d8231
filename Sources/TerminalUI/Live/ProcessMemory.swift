import Foundation

/// The whole process's resident set size, from /proc/self/statm (Linux). Shown beside
/// the arena figures so the difference between the detector's budget and what a
/// Swift process on a desktop occupies is visible.
enum ProcessMemory {
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
