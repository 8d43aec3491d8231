import Foundation
import XCTest
import FrameIO

/// The real `rnnpool-cam` binary on the bundled demo, in a tmux pane: keys go in with
/// send-keys, the screen comes back with capture-pane. Skips (saying why) when the
/// binary, the demo or tmux is missing.
final class LiveUIEndToEndTests: XCTestCase {
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private var tmux: TmuxSession!
    private var outputDirectory: URL!

    /// The binary built next to this test bundle (swift test builds it), or
    /// RNNPOOL_CAM_BINARY.
    private func binaryPath() -> String? {
        if let path = ProcessInfo.processInfo.environment["RNNPOOL_CAM_BINARY"] { return path }
        var candidates: [URL] = []
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            candidates.append(directory.appendingPathComponent("rnnpool-cam"))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(Self.packageRoot.appendingPathComponent(".build/debug/rnnpool-cam"))
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private func requirements() throws -> (binary: String, demo: String) {
        let demo = Self.packageRoot.appendingPathComponent("assets/demo.y4m").path
        var missing: [String] = []
        let binary = binaryPath()
        if binary == nil { missing.append("the rnnpool-cam binary (run `swift build` first)") }
        if !FileManager.default.fileExists(atPath: demo) { missing.append("the demo clip \(demo)") }
        guard let tmuxPath = TmuxSession.which("tmux") else {
            missing.append("tmux on PATH")
            let reason = "skipping the tmux end-to-end test: missing " + missing.joined(separator: ", ")
            print(reason)
            throw XCTSkip(reason)
        }
        guard missing.isEmpty, let binary else {
            let reason = "skipping the tmux end-to-end test: missing " + missing.joined(separator: ", ")
            print(reason)
            throw XCTSkip(reason)
        }
        tmux = TmuxSession(tmux: tmuxPath)
        outputDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rnnpool-ui-e2e-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        return (binary, demo)
    }

    override func tearDown() {
        tmux?.kill()
        if let outputDirectory { try? FileManager.default.removeItem(at: outputDirectory) }
        super.tearDown()
    }

    private func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private func previewRows(_ screen: String) -> [Substring] {
        screen.split(separator: "\n", omittingEmptySubsequences: false).dropLast(3).map { $0 }
    }

    /// Runs the UI in a shell that, once it ends, prints its exit status and the tty's
    /// modes (whether echo and line editing came back), then END.
    private func startUIInShell(binary: String, demo: String, environment: String = "") throws {
        // `trap : INT`: Ctrl-C reaches the whole foreground group; the shell must outlive it.
        let script = "trap : INT; cd \(quoted(outputDirectory.path)) && "
            + "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color NO_COLOR= \(environment) "
            + "\(quoted(binary)) \(quoted(demo)) --loop --output-dir \(quoted(outputDirectory.path)); "
            + "echo \"EXIT:$?\"; modes=$(stty -a); "
            + "case \"$modes\" in *' -echo '*) echo TTY-ECHO:off;; *) echo TTY-ECHO:on;; esac; "
            + "case \"$modes\" in *-icanon*) echo TTY-ICANON:off;; *) echo TTY-ICANON:on;; esac; "
            + "echo END; sleep 60"
        try tmux.start("sh -c \(quoted(script))", columns: 100, rows: 32)
    }

    /// Starts the UI on the demo (startUIInShell) and waits for its status bar; the
    /// screen it returns is the first whole one.
    private func startUIAndWaitForStatusBar(file: StaticString = #filePath, line: UInt = #line) throws
        -> (ok: Bool, screen: String) {
        let (binary, demo) = try requirements()
        try startUIInShell(binary: binary, demo: demo)
        let started = try tmux.waitForScreen { $0.contains("demo.y4m") && $0.contains("h help") }
        XCTAssertTrue(started.ok, "the status bar never appeared:\n\(started.screen)", file: file, line: line)
        return started
    }

    private func assertTerminalRestored(_ screen: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try tmux.query("#{alternate_on}"), "0", "back on the main screen", file: file, line: line)
        XCTAssertEqual(try tmux.query("#{cursor_flag}"), "1", "the cursor is visible again", file: file, line: line)
        XCTAssertFalse(screen.contains("h help"), "no UI left on the restored screen:\n\(screen)", file: file, line: line)
        XCTAssertTrue(screen.contains("TTY-ECHO:on"), "echo restored:\n\(screen)", file: file, line: line)
        XCTAssertTrue(screen.contains("TTY-ICANON:on"), "line mode restored:\n\(screen)", file: file, line: line)
    }

    func testKeysDriveTheUIAndQuitRestoresTheTerminal() throws {
        let started = try startUIAndWaitForStatusBar()
        XCTAssertEqual(try tmux.query("#{alternate_on}"), "1", "the UI runs on the alternate screen")
        XCTAssertTrue(started.screen.contains("320x240"), "status shows the frame size:\n\(started.screen)")
        XCTAssertTrue(started.screen.contains { "▀▄▌▐▖▗▘▝▚▞▁▂▃▅▆▇▉▊▋▍▎▏".contains($0) },
                      "256 colours + UTF-8 start with chafa's block symbols:\n\(started.screen)")

        try tmux.send("m")
        // Wait for the whole overlay: a capture can land while a slow redraw is painting.
        let overlay = try tmux.waitForScreen { $0.contains("memory (m or Esc closes)") && $0.contains("RSS") }
        XCTAssertTrue(overlay.ok, "m opens the memory overlay:\n\(overlay.screen)")
        XCTAssertTrue(overlay.screen.contains("RSS"), "the overlay shows the process RSS:\n\(overlay.screen)")

        try tmux.send("c")
        let half = try tmux.waitForScreen { $0.contains("preview: half-block") }
        XCTAssertTrue(half.ok, "c switches the preview to half-block:\n\(half.screen)")
        try tmux.send("c")
        let ascii = try tmux.waitForScreen { $0.contains("preview: ASCII") }
        XCTAssertTrue(ascii.ok, "c switches the preview to ASCII:\n\(ascii.screen)")
        let asciiSettled = try tmux.waitForScreen(timeout: 3) { screen in
            // (The memory overlay's sparkline uses the lower eighth blocks, so only the
            // symbols it never uses are looked for.)
            !self.previewRows(screen).contains { $0.contains { "▀▌▐▖▗▘▝▚▞".contains($0) } }
        }
        XCTAssertTrue(asciiSettled.ok, "no block symbols left in ASCII mode:\n\(asciiSettled.screen)")

        try tmux.send("Space")
        let paused = try tmux.waitForScreen { $0.contains("PAUSED") }
        XCTAssertTrue(paused.ok, "space pauses:\n\(paused.screen)")

        try tmux.run(["resize-window", "-t", "ui", "-x", "30", "-y", "8"])
        let small = try tmux.waitForScreen { $0.contains("too small") }
        XCTAssertTrue(small.ok, "a tiny terminal gets a clear message:\n\(small.screen)")
        try tmux.run(["resize-window", "-t", "ui", "-x", "100", "-y", "32"])
        let restored = try tmux.waitForScreen { $0.contains("h help") && !$0.contains("too small") }
        XCTAssertTrue(restored.ok, "the UI comes back when the terminal grows:\n\(restored.screen)")

        try tmux.send("q")
        let exited = try tmux.waitForScreen { $0.contains("END") }
        XCTAssertTrue(exited.ok, "q quits:\n\(exited.screen)")
        XCTAssertTrue(exited.screen.contains("EXIT:0"), "clean exit status:\n\(exited.screen)")
        try assertTerminalRestored(exited.screen)
    }

    func testControlCQuitsCleanly() throws {
        _ = try startUIAndWaitForStatusBar()
        try tmux.send("C-c")
        let exited = try tmux.waitForScreen { $0.contains("END") }
        XCTAssertTrue(exited.ok, "Ctrl-C ends the UI:\n\(exited.screen)")
        XCTAssertTrue(exited.screen.contains("EXIT:130"), "with 128 + SIGINT, as a shell reports Ctrl-C:\n\(exited.screen)")
        try assertTerminalRestored(exited.screen)
    }

    func testACrashStillRestoresTheTerminalWithoutAPrompt() throws {
        // No SWIFT_BACKTRACE setting: the backtracer's "Press space" prompt would hold
        // the dying process for 30 s; the UI's handler must not hand over to it.
        for (signal, name) in [(SIGSEGV, "SIGSEGV"), (SIGABRT, "SIGABRT")] {
            let exited = try signalTheUI(signal, timeout: 10)
            XCTAssertTrue(exited.ok, "\(name) ends the UI within 10 s, no prompt:\n\(exited.screen)")
            XCTAssertTrue(exited.screen.contains("EXIT:\(128 + signal)"), "by \(name), not a clean exit:\n\(exited.screen)")
            XCTAssertFalse(exited.screen.contains("Press space"), exited.screen)
            XCTAssertTrue(exited.screen.contains("rnnpool-cam: crashed; the terminal was restored"), exited.screen)
            try assertTerminalRestored(exited.screen)
            tmux.kill()
        }
    }

    /// SIGHUP (terminal closed, ssh dropped) and SIGQUIT (Ctrl-\) end the UI like
    /// Ctrl-C: terminal restored, exit status 128 + the signal, no backtrace painted.
    func testHangupAndQuitSignalsRestoreTheTerminalAndExit() throws {
        for (signal, name) in [(SIGHUP, "SIGHUP"), (SIGQUIT, "SIGQUIT")] {
            let exited = try signalTheUI(signal, timeout: 10)
            XCTAssertTrue(exited.ok, "\(name) ends the UI:\n\(exited.screen)")
            XCTAssertTrue(exited.screen.contains("EXIT:\(128 + signal)"), "\(name):\n\(exited.screen)")
            XCTAssertFalse(exited.screen.contains("Thread 0"), "no backtrace over the screen:\n\(exited.screen)")
            try assertTerminalRestored(exited.screen)
            tmux.kill()
        }
    }

    /// Starts the UI, sends `signal` to it, and waits for the shell's END line.
    private func signalTheUI(_ signal: Int32, timeout: Double) throws -> (ok: Bool, screen: String) {
        _ = try startUIAndWaitForStatusBar()
        let shell = try XCTUnwrap(Int32(try tmux.query("#{pane_pid}")))
        let binaryPID = try XCTUnwrap(childProcess(of: shell), "the UI process under the pane's shell")
        XCTAssertEqual(kill(binaryPID, signal), 0)
        return try tmux.waitForScreen(timeout: timeout) { $0.contains("END") }
    }

    /// The first child of `parent`, from /proc (the env process execs the binary).
    private func childProcess(of parent: Int32) -> Int32? {
        let children = try? String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8)
        return children?.split(separator: " ").compactMap { Int32($0) }.first
    }

    func testSigtermWhileRecordingLeavesAValidRecordingAndARestoredTerminal() throws {
        _ = try startUIAndWaitForStatusBar()

        try tmux.send("r")
        let recording = try tmux.waitForScreen { screen in
            screen.range(of: #"REC [1-9][0-9]* frames"#, options: .regularExpression) != nil
        }
        XCTAssertTrue(recording.ok, "r starts recording and counts frames:\n\(recording.screen)")

        let shell = try XCTUnwrap(Int32(try tmux.query("#{pane_pid}")))
        let binaryPID = try XCTUnwrap(childProcess(of: shell), "the UI process under the pane's shell")
        XCTAssertEqual(kill(binaryPID, SIGTERM), 0)
        let exited = try tmux.waitForScreen { $0.contains("END") }
        XCTAssertTrue(exited.ok, "SIGTERM ends the UI:\n\(exited.screen)")
        XCTAssertTrue(exited.screen.contains("EXIT:143"), "with 128 + SIGTERM:\n\(exited.screen)")
        try assertTerminalRestored(exited.screen)
        XCTAssertTrue(exited.screen.contains("recorded "), "the CLI names the recording after restoring the screen:\n\(exited.screen)")

        let files = try FileManager.default.contentsOfDirectory(atPath: outputDirectory.path)
            .filter { $0.hasPrefix("rnnpool-cam-") && $0.hasSuffix(".y4m") }
        XCTAssertEqual(files.count, 1, "one timestamped recording: \(files)")
        let path = outputDirectory.appendingPathComponent(try XCTUnwrap(files.first)).path
        let reader = try Y4MReader(path: path, pacing: false)
        var frames = 0
        while let frame = try reader.nextFrame() {
            XCTAssertEqual(frame.width, 320)
            XCTAssertEqual(frame.height, 240)
            frames += 1
        }
        reader.close()
        XCTAssertGreaterThan(frames, 0, "the recording holds whole frames")
    }

    // MARK: - Keys: Esc closes overlays; escape sequences never quit

    /// Waits `seconds` and says whether the UI is still up (its status bar shows and
    /// the shell has not printed END).
    private func stillRunning(after seconds: Double) throws -> (ok: Bool, screen: String) {
        let ended = try tmux.waitForScreen(timeout: seconds) { $0.contains("END") }
        if ended.ok { return (false, ended.screen) }
        // A capture can land mid-redraw; give the status bar a moment to be whole.
        return try tmux.waitForScreen(timeout: 3) { $0.contains("h help") && !$0.contains("END") }
    }

    func testEscClosesOverlaysAndAltHomeEndAndFunctionKeysDoNotQuit() throws {
        _ = try startUIAndWaitForStatusBar()

        try tmux.send("h")
        XCTAssertTrue(try tmux.waitForScreen { $0.contains("keys (h or Esc closes)") }.ok, "h opens the help")
        try tmux.send("Escape")
        let closed = try tmux.waitForScreen { !$0.contains("keys (h or Esc closes)") && $0.contains("h help") }
        XCTAssertTrue(closed.ok, "Esc closes the help and the UI stays:\n\(closed.screen)")

        try tmux.send("m")
        XCTAssertTrue(try tmux.waitForScreen { $0.contains("memory (m or Esc closes)") }.ok, "m opens the overlay")
        try tmux.send("Escape")
        XCTAssertTrue(try tmux.waitForScreen { !$0.contains("memory (m or Esc closes)") }.ok, "Esc closes it")

        try tmux.send("Escape")
        let afterEsc = try stillRunning(after: 1)
        XCTAssertTrue(afterEsc.ok, "Esc with nothing open does nothing:\n\(afterEsc.screen)")

        for key in ["M-q", "M-x", "Home", "End", "F5", "F12", "PPage"] {
            try tmux.send(key)
            let after = try stillRunning(after: 0.7)
            XCTAssertTrue(after.ok, "\(key) does not quit:\n\(after.screen)")
        }
        XCTAssertFalse(try tmux.capture().contains("keys (h or Esc closes)"), "M-x etc. opened nothing")

        try tmux.send("q")
        let exited = try tmux.waitForScreen { $0.contains("END") }
        XCTAssertTrue(exited.ok, "q quits:\n\(exited.screen)")
        XCTAssertTrue(exited.screen.contains("EXIT:0"), exited.screen)
        try assertTerminalRestored(exited.screen)
    }

    // MARK: - Terminals that cannot show the UI, and NO_COLOR

    func testDumbTerminalIsRefusedWithAHintToUseHeadless() throws {
        let (binary, demo) = try requirements()
        try startUIInShell(binary: binary, demo: demo, environment: "TERM=dumb")
        let exited = try tmux.waitForScreen { $0.contains("END") }
        XCTAssertTrue(exited.ok, "TERM=dumb ends at once:\n\(exited.screen)")
        let lines = exited.screen.split(separator: "\n").filter { $0.hasPrefix("rnnpool-cam:") }
        XCTAssertEqual(lines.count, 1, "one line:\n\(exited.screen)")
        XCTAssertTrue(lines.first?.contains("TERM=dumb") == true && lines.first?.contains("--headless") == true,
                      "names the terminal and the way out:\n\(exited.screen)")
        XCTAssertTrue(exited.screen.contains("EXIT:1"), exited.screen)
        XCTAssertEqual(try tmux.query("#{alternate_on}"), "0", "never switched screens")
    }

    /// TERM=xterm-direct (terminfo from ncurses-term, which setup installs): the picture
    /// arrives in 24-bit colour (SGR 38;2 / 48;2), through ncurses' extended pairs.
    func testDirectColourTerminalGetsTwentyFourBitColour() throws {
        try assertTwentyFourBitColour(environment: "TERM=xterm-direct")
    }

    /// COLORTERM=truecolor with TERM=xterm-256color, the usual setup, is 24-bit colour
    /// too (the UI runs as xterm-direct), as chafa and timg read it (issue 20).
    func testCOLORTERMTruecolorGetsTwentyFourBitColour() throws {
        try assertTwentyFourBitColour(environment: "COLORTERM=truecolor")
    }

    private func assertTwentyFourBitColour(environment: String, file: StaticString = #filePath,
                                           line: UInt = #line) throws {
        let (binary, demo) = try requirements()
        try startUIInShell(binary: binary, demo: demo, environment: environment)
        let started = try tmux.waitForScreen { $0.contains("demo.y4m") && $0.contains("h help") }
        XCTAssertTrue(started.ok, "the UI starts with \(environment):\n\(started.screen)", file: file, line: line)
        let styled = try tmux.run(["capture-pane", "-p", "-e", "-t", "ui"])
        XCTAssertTrue(styled.contains("38;2;") && styled.contains("48;2;"), "24-bit colours reach the terminal",
                      file: file, line: line)
        try tmux.send("q")
        XCTAssertTrue(try tmux.waitForScreen { $0.contains("EXIT:0") }.ok, file: file, line: line)
    }

    /// A terminal without an alternate screen (TERM=vt100): the UI clears what it drew
    /// when it quits, so the shell does not write over a stale frame (issue 20).
    func testQuittingOnATerminalWithoutAlternateScreenLeavesItClear() throws {
        let (binary, demo) = try requirements()
        try startUIInShell(binary: binary, demo: demo, environment: "TERM=vt100")
        let started = try tmux.waitForScreen { $0.contains("demo.y4m") && $0.contains("h help") }
        XCTAssertTrue(started.ok, "the UI starts on vt100:\n\(started.screen)")
        try tmux.send("q")
        let exited = try tmux.waitForScreen { $0.contains("END") }
        XCTAssertTrue(exited.ok, "q quits:\n\(exited.screen)")
        XCTAssertTrue(exited.screen.contains("EXIT:0"), exited.screen)
        XCTAssertFalse(exited.screen.contains("h help") || exited.screen.contains("demo.y4m"),
                       "nothing of the UI is left:\n\(exited.screen)")
    }

    func testNoColorShowsASymbolPictureWithoutAnyColour() throws {
        let (binary, demo) = try requirements()
        try startUIInShell(binary: binary, demo: demo, environment: "NO_COLOR=1")
        let started = try tmux.waitForScreen { $0.contains("demo.y4m") && $0.contains("h help") }
        XCTAssertTrue(started.ok, "the status bar never appeared:\n\(started.screen)")
        let rows = previewRows(started.screen)
        // UTF-8 without colours: block symbols and lines in ink and paper (the face reads
        // by its shapes), not an ASCII ramp.
        let picture = rows.joined()
        XCTAssertGreaterThan(picture.unicodeScalars.filter { (0x2500...0x259F).contains($0.value) }.count, 50,
                             "the picture is made of block symbols:\n\(started.screen)")
        // capture-pane -e shows the SGR sequences: reverse video and bold, but no colour.
        let styled = try tmux.run(["capture-pane", "-p", "-e", "-t", "ui"])
        XCTAssertFalse(styled.contains("38;5;") || styled.contains("48;5;") || styled.contains("38;2;"),
                       "NO_COLOR: no colour sequences at all")
        XCTAssertTrue(styled.contains("\u{1B}[7m") || styled.contains(";7m"), "reverse video carries the bright areas")
        try tmux.send("c")
        let ascii = try tmux.waitForScreen { $0.contains("preview: ASCII") }
        XCTAssertTrue(ascii.ok, "c offers ASCII too:\n\(ascii.screen)")
        XCTAssertTrue(previewRows(ascii.screen).allSatisfy {
            $0.allSatisfy(\.isASCII) || $0.contains("┌") || $0.contains("│") || $0.contains("└")
        }, "then the picture is ASCII:\n\(ascii.screen)")
        try tmux.send("q")
        XCTAssertTrue(try tmux.waitForScreen { $0.contains("EXIT:0") }.ok)
    }
}
