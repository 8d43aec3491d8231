import Foundation

/// Finds the shipped model `assets/models/rnnpool-face.rpm`: the environment variable
/// `RNNPOOL_CAM_MODEL` first, then upwards from the executable's directory, then
/// upwards from the current directory.
enum ModelLocator {
    static let relativePath = "assets/models/rnnpool-face.rpm"
    static let environmentVariable = "RNNPOOL_CAM_MODEL"

    static func defaultModelPath() -> String? {
        // /proc/self/exe names the running binary even when it was started through $PATH
        // (argv[0] is then a bare name).
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first
        return defaultModelPath(environment: ProcessInfo.processInfo.environment,
                                executablePath: exe,
                                currentDirectory: FileManager.default.currentDirectoryPath)
    }

    static func defaultModelPath(environment: [String: String], executablePath: String?,
                                 currentDirectory: String) -> String? {
        let fm = FileManager.default
        if let p = environment[environmentVariable], !p.isEmpty { return p }
        var starts: [URL] = []
        if let exe = executablePath {
            let url = URL(fileURLWithPath: exe, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
            starts.append(url.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: currentDirectory, isDirectory: true))
        for start in starts {
            var dir = start.standardizedFileURL
            while true {
                let candidate = dir.appendingPathComponent(relativePath).path
                if fm.isReadableFile(atPath: candidate) { return candidate }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }
}
