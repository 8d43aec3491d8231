import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the binary with posix_spawn and reaps it with wait4, which reports the child's
/// peak resident set size: the figure the hostile-input tests hold under 100 MB.
/// (Process cannot give it: getrusage of all children mixes every earlier run.)
///
/// Linux can carry the spawning process's resident memory into a child's figure at exec
/// (the child starts on the parent's memory), so the figure is at least about the test
/// process's current RSS: `parentResidentBytes` says how much of it may be the parent.
struct MeasuredRun {
    /// This (test) process's resident memory now, from /proc/self/statm.
    static var parentResidentBytes: Int {
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? Int.max / 8192
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    var status: Int32
    /// Set when the child died by a signal.
    var signal: Int32?
    var stdout: String
    var stderr: String
    var peakResidentBytes: Int

    static func run(_ arguments: [String], environment: [String: String] = [:], directory: String,
                    addressSpaceLimitKiB: Int) throws -> MeasuredRun {
        let binary = try BinaryRunner.binaryPath()
        let out = directory + "/measured.out", err = directory + "/measured.err"
        // The address-space cap makes a header-sized allocation fail outright, so a
        // regression shows as a crash here even where RSS would not grow (untouched pages).
        let script = "ulimit -v \(addressSpaceLimitKiB) && exec \"$0\" \"$@\""
        let argv = ["/bin/sh", "-c", script, binary] + arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let envp = env.map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = envp.map { strdup($0) } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(directory)
        let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, cArgs, cEnv)
        FileManager.default.changeCurrentDirectoryPath(previous)
        guard rc == 0 else { throw BinaryRunner.MissingBinary(message: "posix_spawn failed: \(rc)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let signalled = status & 0x7f != 0 && status & 0x7f != 0x7f
        return MeasuredRun(status: (status >> 8) & 0xff, signal: signalled ? status & 0x7f : nil,
                           stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                           stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "",
                           peakResidentBytes: usage.ru_maxrss * 1024)
    }
}
