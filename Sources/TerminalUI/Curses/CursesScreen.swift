import CNcurses
import Foundation

/// Why the live UI could not start.
public struct TerminalUnavailableError: Error, CustomStringConvertible {
    public let description: String
}

/// The thin ncurses layer: starts and restores the terminal, reads keys, and paints a
/// `CellGrid`. Only the main thread touches it. Painting compares against the grid
/// painted last and only hands changed cells to ncurses.
final class CursesScreen {
    let capabilities: TerminalCapabilities
    private var pairs = ColorPairs()
    private var painted: CellGrid?
    private var active = false
    /// Set for the benchmark's off-screen terminal: its SCREEN and output file.
    private var offscreen: (screen: OpaquePointer, file: UnsafeMutablePointer<FILE>)?

    /// setlocale before newterm so ncursesw prints UTF-8; newterm rather than initscr
    /// because initscr exits the process when the terminal is unusable.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw TerminalUnavailableError(description:
                "the live UI needs a terminal on standard input and output (use --headless otherwise)")
        }
        let term = environment["TERM"] ?? ""
        guard !term.isEmpty, term != "dumb" else {
            throw TerminalUnavailableError(description:
                "TERM=\(term.isEmpty ? "(unset)" : term) cannot show the live UI; use --headless for JSON lines, or set TERM to your terminal's type")
        }
        setlocale(LC_ALL, "")
        let codeset = String(cString: rc_codeset())
        // COLORTERM=truecolor with a palette TERM: run as its -direct entry for 24-bit colour.
        let direct = TerminalCapabilities.directColourTerminfo(environment: environment) { rc_terminfo_exists($0) != 0 }
        guard let screen = direct.flatMap({ rc_newterm_type($0) }) ?? rc_newterm_stdio() else {
            throw TerminalUnavailableError(description:
                "cannot start ncurses for TERM=\(term); use --headless for JSON lines, or set TERM to your terminal's type")
        }
        guard rc_can_address_cursor() != 0 else {
            // Nothing was drawn yet: leave curses mode and free the screen before saying so.
            endwin()
            delscreen(screen)
            throw TerminalUnavailableError(description:
                "TERM=\(term) cannot move the cursor, so it cannot show the live UI; use --headless for JSON lines")
        }
        active = true
        TerminalRestorer.cursesActive.store(true, ordering: .relaxed)
        cbreak()
        noecho()
        nonl()
        keypad(rc_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        let wantsColor = (environment["NO_COLOR"] ?? "").isEmpty
        if wantsColor && has_colors() {
            start_color()
            use_default_colors()
        }
        capabilities = TerminalCapabilities.detect(codeset: codeset, hasColors: wantsColor && has_colors(),
                                                   colorCount: Int(rc_colors()), environment: environment)
        pairs.limit = Int(min(rc_color_pairs(), 32767))
        pairs.direct = capabilities.colors == .direct
    }

    /// An off-screen xterm-256color of `columns` x `rows` that paints into /dev/null,
    /// so the benchmark can time ncurses' share of a redraw without a terminal.
    init(offscreenColumns columns: Int, rows: Int) throws {
        setlocale(LC_ALL, "C.UTF-8")
        var file: UnsafeMutablePointer<FILE>?
        guard let screen = rc_newterm_devnull("xterm-256color", &file), let file else {
            throw TerminalUnavailableError(description: "cannot start an off-screen xterm-256color terminal")
        }
        offscreen = (screen, file)
        active = true
        start_color()
        use_default_colors()
        resizeterm(Int32(rows), Int32(columns))
        capabilities = .full
        pairs.limit = Int(min(rc_color_pairs(), 32767))
    }

    /// Current terminal size in cells.
    var size: (columns: Int, rows: Int) {
        (Int(getmaxx(rc_stdscr())), Int(getmaxy(rc_stdscr())))
    }

    /// Waits up to `milliseconds` for a key; nil when none came.
    func readKey(timeoutMilliseconds: Int32) -> Int32? {
        wtimeout(rc_stdscr(), timeoutMilliseconds)
        let key = wgetch(rc_stdscr())
        return key == ERR ? nil : key
    }

    static var resizeKey: Int32 { RC_KEY_RESIZE }
    static var leftKey: Int32 { RC_KEY_LEFT }
    static var rightKey: Int32 { RC_KEY_RIGHT }

    /// A key already waiting in the input (no wait), or nil.
    func pendingKey() -> Int32? { readKey(timeoutMilliseconds: 0) }

    /// Forgets what is on screen, so the next paint redraws every cell (after a resize).
    func invalidate() {
        painted = nil
        clearok(rc_stdscr(), true)
    }

    func paint(_ grid: CellGrid) {
        let (columns, rows) = size
        if painted?.width != grid.width || painted?.height != grid.height {
            painted = nil
            werase(rc_stdscr())
        }
        let width = min(columns, grid.width), height = min(rows, grid.height)
        for y in 0..<height {
            for x in 0..<width {
                let cell = grid[x, y]
                if let old = painted, old[x, y] == cell { continue }
                put(cell, x: x, y: y)
            }
        }
        painted = grid
        wnoutrefresh(rc_stdscr())
        doupdate()
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        var attributes = RC_A_NORMAL
        if cell.bold { attributes |= RC_A_BOLD }
        if cell.reverse { attributes |= RC_A_REVERSE }
        let pair = capabilities.colors == .none ? 0
            : pairs.pair(foreground: cell.foreground, background: cell.background)
        let scalar = cell.character.unicodeScalars.first?.value ?? 32
        if scalar < 128 && pair < 256 {
            _ = rc_put_byte(rc_stdscr(), Int32(y), Int32(x), UInt8(scalar), attributes, Int32(pair))
        } else {
            _ = rc_put_wide(rc_stdscr(), Int32(y), Int32(x), wchar_t(bitPattern: scalar), attributes, Int32(pair))
        }
    }

    /// Restores the terminal (cursor, echo, line mode, main screen). Safe to call twice.
    func stop() {
        guard active else { return }
        active = false
        if let offscreen {
            endwin()
            delscreen(offscreen.screen)
            fclose(offscreen.file)
            self.offscreen = nil
            return
        }
        TerminalRestorer.cursesActive.store(false, ordering: .relaxed)
        // Without an alternate screen (TERM=vt100) the UI drew on the shell's screen:
        // clear it, or the last frame stays and the shell's prompt lands in it.
        if rc_has_alternate_screen() == 0 {
            erase()
            refresh()
        }
        curs_set(1)
        endwin()
    }

    deinit { stop() }
}

/// Hands out ncurses colour pairs for (foreground, background) combinations on first
/// use. Palette terminals: a flat table over the 256 x 256 combinations; if the
/// terminal has fewer pairs, later combinations fall back to the default pair.
/// Direct-colour terminals: ncurses' own `alloc_pair`, which finds or creates the pair
/// for two RGB colours and recycles the least recently used one when all are taken.
struct ColorPairs {
    var limit = 0
    var direct = false
    /// Pair number per (foreground + 1) * 257 + (background + 1), 0 = default colours
    /// or not assigned yet; a flat table because painting looks up every changed cell.
    private var table = [Int32](repeating: -1, count: 257 * 257)
    private var next = 1

    mutating func pair(foreground: CellColor?, background: CellColor?) -> Int {
        if direct {
            if foreground == nil && background == nil { return 0 }
            return Int(max(0, alloc_pair(Self.directNumber(foreground), Self.directNumber(background))))
        }
        let fg = foreground.map(Self.paletteIndex), bg = background.map(Self.paletteIndex)
        let key = (fg.map { Int($0) + 1 } ?? 0) &* 257 &+ (bg.map { Int($0) + 1 } ?? 0)
        if key == 0 { return 0 }
        let known = table[key]
        if known >= 0 { return Int(known) }
        guard next < limit else { return 0 }
        let pair = next
        next += 1
        init_pair(Int16(pair), fg.map { Int16($0) } ?? -1, bg.map { Int16($0) } ?? -1)
        table[key] = Int32(pair)
        return pair
    }

    /// A colour number for a direct-colour terminal: packed RGB. xterm-direct's
    /// terminfo sends numbers below 8 as the 8 ANSI colours, so near-blacks are
    /// nudged just past them.
    static func directNumber(_ colour: CellColor?) -> Int32 {
        guard let colour else { return -1 }
        let rgb = colour.packedRGB
        return Int32(rgb < 8 ? 0x010101 : rgb)
    }

    /// A palette index for an RGB colour on a palette terminal (not produced by the
    /// preview there, but kept safe): the nearest step of the grey ramp.
    static func paletteIndex(_ colour: CellColor) -> UInt8 {
        switch colour {
        case .palette(let index): return index
        case .rgb: return 232 &+ UInt8(min(23, colour.grey * 24 / 256))
        }
    }
}
