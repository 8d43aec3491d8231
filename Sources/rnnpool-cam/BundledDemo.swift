import Foundation

/// Finds assets/demo.y4m, the clip played on machines without a camera: env
/// RNNPOOL_CAM_DEMO, then upwards from the executable (a build under .build/ sits inside
/// the checkout), then upwards from the current directory.
enum BundledDemo {
    static let relativePath = "assets/demo.y4m"

    static func locate() -> String? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["RNNPOOL_CAM_DEMO"], !env.isEmpty {
            return env
        }
        var starts: [String] = []
        if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append((exe as NSString).deletingLastPathComponent)
        }
        starts.append(fm.currentDirectoryPath)
        for start in starts {
            var dir = start
            while true {
                let candidate = (dir as NSString).appendingPathComponent(relativePath)
                if fm.isReadableFile(atPath: candidate) { return candidate }
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir || parent.isEmpty { break }
                dir = parent
            }
        }
        return nil
    }
}
