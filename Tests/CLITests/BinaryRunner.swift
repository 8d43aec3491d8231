import Foundation
import XCTest

/// Runs the built `rnnpool-cam` binary the way a user would, with no stdin.
enum BinaryRunner {
    /// The repository root (this file is Tests/CLITests/BinaryRunner.swift).
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let demo = repoRoot + "/assets/demo.y4m"

    /// Address space (ulimit -v) a run may use in the hostile-input tests: what a normal
    /// run needs (thread stacks and malloc arenas are reserved, not used) plus well
    /// under 100 MB, so an allocation sized by a lying header fails the test.
    static let addressSpaceLimitKiB = 400_000

    /// The binary next to the test bundle (same build configuration), else .build/debug.
    static func binaryPath() throws -> String {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("rnnpool-cam").path)
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent("rnnpool-cam").path)
        }
        candidates.append(repoRoot + "/.build/debug/rnnpool-cam")
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            // A failure, not a skip: a missing binary must never look like a pass.
            throw MissingBinary(message: "rnnpool-cam binary not built (looked in \(candidates)); run `swift build` first")
        }
        return found
    }

    struct MissingBinary: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// A started child whose output goes to temporary files (no pipe can fill up and
    /// block it, and no reader threads are needed).
    struct Child {
        let process: Process
        let outPath: String
        let errPath: String
        var pid: Int32 { process.processIdentifier }
    }

    /// Starts the binary; the caller waits (or signals) through `collect`.
    static func start(_ arguments: [String], environment: [String: String] = [:],
                      directory: String? = nil) throws -> Child {
        try launch(try binaryPath(), arguments, environment: environment, directory: directory)
    }

    static func launch(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                       directory: String? = nil) throws -> Child {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let base = NSTemporaryDirectory() + "rnnpool-cam-run-" + UUID().uuidString
        let outPath = base + ".out", errPath = base + ".err"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: outPath)
        p.standardError = FileHandle(forWritingAtPath: errPath)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return Child(process: p, outPath: outPath, errPath: errPath)
    }

    static func collectData(_ child: Child) -> (status: Int32, stdout: Data, stderr: Data) {
        child.process.waitUntilExit()
        let out = FileManager.default.contents(atPath: child.outPath) ?? Data()
        let err = FileManager.default.contents(atPath: child.errPath) ?? Data()
        try? FileManager.default.removeItem(atPath: child.outPath)
        try? FileManager.default.removeItem(atPath: child.errPath)
        return (child.process.terminationStatus, out, err)
    }

    static func collect(_ child: Child) -> Result {
        let (status, out, err) = collectData(child)
        return Result(status: status, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> Result {
        collect(try start(arguments, environment: environment, directory: directory))
    }

    /// ffmpeg on PATH, or nil.
    static let ffmpeg: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/ffmpeg"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    /// Runs a helper tool (ffmpeg, a script) and returns status and stdout bytes.
    static func tool(_ path: String, _ arguments: [String],
                     environment: [String: String] = [:]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let (status, out, err) = collectData(try launch(path, arguments, environment: environment))
        return (status, out, String(decoding: err, as: UTF8.self))
    }
}

/// Waits (up to `timeout` seconds) until `condition` holds; false if it never did.
/// Used instead of fixed sleeps so that a slow, loaded machine does not fail tests.
@discardableResult
func waitUntil(timeout: Double = 30, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return condition()
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
}

/// A scratch directory per test case.
final class Scratch {
    let directory: String

    init() {
        directory = NSTemporaryDirectory() + "rnnpool-cam-cli-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func path(_ name: String) -> String { directory + "/" + name }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        FileManager.default.createFile(atPath: path(name), contents: Data(bytes))
        return path(name)
    }

    func read(_ name: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path(name)) ?? Data()) }
}

/// Parses one JSON line into a dictionary, failing the test if it is not one.
func jsonObject(_ line: String, file: StaticString = #filePath, line l: UInt = #line) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
    return try XCTUnwrap(value as? [String: Any], "not a JSON object: \(line)", file: file, line: l)
}
