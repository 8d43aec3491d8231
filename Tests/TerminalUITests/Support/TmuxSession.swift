import Foundation

/// A detached tmux server of its own (its own socket), driving one pane the way a user
/// at a terminal would, and reading the screen back with capture-pane.
final class TmuxSession {
    let tmux: String
    let socket = "rnnpool-ui-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    init(tmux: String) { self.tmux = tmux }

    /// Starts `command` in a `columns` x `rows` pane; the pane stays after it exits so the
    /// restored screen and the exit status can be read.
    func start(_ command: String, columns: Int, rows: Int) throws {
        try run(["-f", "/dev/null", "new-session", "-d", "-s", "ui", "-x", "\(columns)", "-y", "\(rows)", command])
        try run(["set-option", "-t", "ui", "remain-on-exit", "on"])
    }

    func send(_ keys: String...) throws {
        try run(["send-keys", "-t", "ui"] + keys)
    }

    /// The screen as text, one line per row.
    func capture() throws -> String {
        try run(["capture-pane", "-p", "-t", "ui"])
    }

    /// A tmux format variable of the pane, e.g. `#{alternate_on}`.
    func query(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", "ui", format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `predicate` holds; returns the last screen either way.
    @discardableResult
    func waitForScreen(timeout: Double = 20, _ predicate: (String) -> Bool) throws -> (ok: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        repeat {
            screen = try capture()
            if predicate(screen) { return (true, screen) }
            Thread.sleep(forTimeInterval: 0.1)
        } while Date() < deadline
        return (false, screen)
    }

    func kill() {
        _ = try? run(["kill-server"])
    }

    /// Runs the tmux client and returns its standard output. posix_spawn and waitpid
    /// rather than Foundation's Process, whose waitUntilExit was seen to hang here when
    /// the client had forked the tmux server; output goes through a file, since the
    /// server would otherwise hold a pipe open.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        // -u: panes and capture-pane speak UTF-8 whatever this process's locale is.
        let argv = [tmux, "-u", "-L", socket] + arguments
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(socket)-\(UUID().uuidString).out").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, tmux, &actions, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw NSError(domain: "tmux", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "cannot run \(tmux)"])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Finds an executable on PATH.
    static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
