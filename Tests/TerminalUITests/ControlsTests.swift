import XCTest
@testable import TerminalUI

final class ControlsTests: XCTestCase {
    func testCapabilitiesFollowLocaleColoursAndNoColor() {
        XCTAssertEqual(TerminalCapabilities.detect(codeset: "UTF-8", hasColors: true, colorCount: 256, environment: [:]),
                       .full)
        XCTAssertEqual(TerminalCapabilities.detect(codeset: "utf8", hasColors: true, colorCount: 256, environment: [:]).previewModes,
                       [.symbols, .halfBlock, .ascii])
        XCTAssertEqual(TerminalCapabilities.detect(codeset: "UTF-8", hasColors: true, colorCount: 1 << 24, environment: [:]).colors,
                       .direct, "xterm-direct's colours#0x1000000 is direct colour")
        XCTAssertEqual(TerminalCapabilities.detect(codeset: "UTF-8", hasColors: true, colorCount: 16, environment: [:]).colors,
                       .sixteen)
        let noColor = TerminalCapabilities.detect(codeset: "UTF-8", hasColors: true, colorCount: 256,
                                                  environment: ["NO_COLOR": "1"])
        XCTAssertEqual(noColor.colors, .none)
        XCTAssertEqual(noColor.previewModes, [.symbols, .ascii], "without colours block symbols and lines draw the shapes; ASCII on request")
        XCTAssertEqual(TerminalCapabilities.detect(codeset: "UTF-8", hasColors: true, colorCount: 256,
                                                   environment: ["NO_COLOR": ""]).colors, .palette256,
                       "an empty NO_COLOR does not count")
        let latin = TerminalCapabilities.detect(codeset: "ANSI_X3.4-1968", hasColors: true, colorCount: 256, environment: [:])
        XCTAssertFalse(latin.unicode)
        XCTAssertEqual(latin.previewModes, [.ascii])
        XCTAssertEqual(TerminalCapabilities.detect(codeset: "UTF-8", hasColors: true, colorCount: 8, environment: [:]).previewModes,
                       [.symbols, .halfBlock, .ascii])
    }

    func testLightBackgroundComesFromCOLORFGBG() {
        func light(_ value: String?) -> Bool {
            TerminalCapabilities.detect(codeset: "UTF-8", hasColors: false, colorCount: 0,
                                        environment: value.map { ["COLORFGBG": $0] } ?? [:]).lightBackground
        }
        XCTAssertTrue(light("0;15"))
        XCTAssertTrue(light("0;default;7"), "rxvt's three-field form")
        XCTAssertFalse(light("15;0"))
        XCTAssertFalse(light("7;8"))
        XCTAssertFalse(light(nil), "dark unless told otherwise")
        XCTAssertFalse(light("garbage"))
    }

    func testEscapeSequencesAreSwallowedAndALoneEscIsEscape() {
        let resize: Int32 = 410
        func read(_ keys: [Int32]) -> ([KeyCommand], left: Int) {
            var queue = Array(keys.dropFirst())
            let commands = KeyCommand.read(first: keys[0], next: { queue.isEmpty ? nil : queue.removeFirst() },
                                           resizeCode: resize)
            return (commands, queue.count)
        }
        XCTAssertEqual(read([27]).0, [.escape])
        let altQ = read([27, Int32(UInt8(ascii: "q"))])
        XCTAssertEqual(altQ.0, [], "Alt+q arrives as Esc q: ignored, it does not quit")
        XCTAssertEqual(altQ.left, 0, "the q is consumed with it")
        let home = read([27, 91, 49, 126])   // ESC [ 1 ~, a Home terminfo may not know
        XCTAssertEqual(home.0, [])
        XCTAssertEqual(home.left, 0)
        XCTAssertEqual(read([Int32(UInt8(ascii: "q"))]).0, [.quit])
        // An Esc just before a resize is both (issue 20: the two were swallowed together).
        XCTAssertEqual(read([27, resize]).0, [.escape, .resize])
    }

    func testEscClosesAnOverlayAndOtherwiseDoesNothing() {
        var controls = ViewControls(mode: .symbols, overlay: .help, threshold: 0.5)
        controls.apply(.escape, modes: [.symbols])
        XCTAssertEqual(controls.overlay, .none, "Esc closes the help")
        controls.overlay = .memory
        controls.apply(.escape, modes: [.symbols])
        XCTAssertEqual(controls.overlay, .none, "and the memory overlay")
        let before = controls
        XCTAssertNil(controls.apply(.escape, modes: [.symbols]))
        XCTAssertEqual(controls, before, "with nothing open, Esc changes nothing")
    }

    func testKeysMapToCommands() {
        let resize: Int32 = 410
        func command(_ c: Character) -> KeyCommand? { KeyCommand(key: Int32(c.asciiValue!), resizeCode: resize) }
        XCTAssertEqual(command("q"), .quit)
        XCTAssertEqual(KeyCommand(key: 27, resizeCode: resize), .escape, "Esc is not quit")
        XCTAssertNil(KeyCommand(key: 262, resizeCode: resize), "KEY_HOME does nothing")
        XCTAssertEqual(KeyCommand.leftArrow, CursesScreen.leftKey)
        XCTAssertEqual(KeyCommand.rightArrow, CursesScreen.rightKey)
        XCTAssertEqual(KeyCommand(key: 260, resizeCode: resize), .seekBack, "KEY_LEFT: 5 s back")
        XCTAssertEqual(KeyCommand(key: 261, resizeCode: resize), .seekForward, "KEY_RIGHT: 5 s ahead")
        XCTAssertEqual(command("."), .stepForward)
        XCTAssertEqual(command(","), .stepBack)
        var c = ViewControls(mode: .symbols, threshold: 0.5)
        c.apply(.stepForward, modes: [.symbols])
        XCTAssertTrue(c.paused, "a step pauses")
        c.apply(.stepBack, modes: [.symbols])
        XCTAssertTrue(c.paused, "and stays paused")
        XCTAssertNil(KeyCommand(key: 360, resizeCode: resize), "KEY_END does nothing")
        XCTAssertNil(KeyCommand(key: 269, resizeCode: resize), "KEY_F(5) does nothing")
        XCTAssertNil(KeyCommand(key: 241, resizeCode: resize), "an 8-bit meta key does nothing")
        XCTAssertEqual(command(" "), .togglePause)
        XCTAssertEqual(command("m"), .toggleMemoryOverlay)
        XCTAssertEqual(command("c"), .cycleMode)
        XCTAssertEqual(command("+"), .raiseThreshold)
        XCTAssertEqual(command("-"), .lowerThreshold)
        XCTAssertEqual(command("r"), .toggleRecording)
        XCTAssertEqual(command("s"), .saveFrame)
        XCTAssertEqual(command("h"), .toggleHelp)
        XCTAssertEqual(command("?"), .toggleHelp)
        XCTAssertEqual(KeyCommand(key: resize, resizeCode: resize), .resize)
        XCTAssertNil(command("x"))
        XCTAssertNil(KeyCommand(key: -1, resizeCode: resize))
    }

    func testThresholdStepsAndClamps() {
        var controls = ViewControls(mode: .ascii, threshold: 0.5)
        XCTAssertEqual(controls.apply(.raiseThreshold, modes: [.ascii]), "threshold 0.55")
        for _ in 0..<30 { controls.apply(.raiseThreshold, modes: [.ascii]) }
        XCTAssertEqual(controls.threshold, 0.95, accuracy: 1e-6)
        for _ in 0..<40 { controls.apply(.lowerThreshold, modes: [.ascii]) }
        XCTAssertEqual(controls.threshold, 0.05, accuracy: 1e-6)
    }

    /// A threshold outside the keys' range is never moved the wrong way, and `0` returns
    /// to the session's starting threshold (issue 20: + at 0.99 set 0.95).
    func testThresholdKeysNeverMoveTheWrongWayAndZeroRestores() {
        var high = ViewControls(mode: .ascii, threshold: 0.99)
        high.apply(.raiseThreshold, modes: [.ascii])
        XCTAssertEqual(high.threshold, 0.99, accuracy: 1e-6, "+ does not lower it")
        high.apply(.lowerThreshold, modes: [.ascii])
        XCTAssertEqual(high.threshold, 0.95, accuracy: 1e-6)
        var low = ViewControls(mode: .ascii, threshold: 0.01)
        low.apply(.lowerThreshold, modes: [.ascii])
        XCTAssertEqual(low.threshold, 0.01, accuracy: 1e-6, "- does not raise it")
        var model = ViewControls(mode: .ascii, threshold: 0.5323)
        for _ in 0..<3 { model.apply(.raiseThreshold, modes: [.ascii]) }
        XCTAssertEqual(model.apply(.resetThreshold, modes: [.ascii]), "threshold 0.53, as at the start")
        XCTAssertEqual(model.threshold, 0.5323)
        XCTAssertEqual(KeyCommand(key: Int32(UInt8(ascii: "0")), resizeCode: -1), .resetThreshold)
    }

    func testModeCyclingAndOverlays() {
        var controls = ViewControls(mode: .halfBlock, threshold: 0.5)
        XCTAssertEqual(controls.apply(.cycleMode, modes: [.halfBlock, .ascii]), "preview: ASCII")
        XCTAssertEqual(controls.mode, .ascii)
        controls.apply(.cycleMode, modes: [.halfBlock, .ascii])
        XCTAssertEqual(controls.mode, .halfBlock)
        var plain = ViewControls(mode: .ascii, threshold: 0.5)
        XCTAssertNotNil(plain.apply(.cycleMode, modes: [.ascii]), "says why the mode cannot change")
        XCTAssertEqual(plain.mode, .ascii)

        controls.apply(.toggleMemoryOverlay, modes: [])
        XCTAssertEqual(controls.overlay, .memory)
        controls.apply(.toggleHelp, modes: [])
        XCTAssertEqual(controls.overlay, .help, "help replaces the memory overlay")
        controls.apply(.toggleHelp, modes: [])
        XCTAssertEqual(controls.overlay, .none)
        controls.apply(.togglePause, modes: [])
        XCTAssertTrue(controls.paused)
    }

    func testCOLORTERMPicksTheDirectColourEntryOfTERMsFamily() {
        let all: (String) -> Bool = { _ in true }
        XCTAssertEqual(TerminalCapabilities.directColourTerminfo(
            environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"], exists: all), "xterm-direct")
        XCTAssertEqual(TerminalCapabilities.directColourTerminfo(
            environment: ["TERM": "tmux-256color", "COLORTERM": "24bit"], exists: all), "tmux-direct")
        XCTAssertNil(TerminalCapabilities.directColourTerminfo(
            environment: ["TERM": "xterm-256color"], exists: all), "no COLORTERM: TERM as it is")
        XCTAssertNil(TerminalCapabilities.directColourTerminfo(
            environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"], exists: all))
        XCTAssertNil(TerminalCapabilities.directColourTerminfo(
            environment: ["TERM": "xterm-direct", "COLORTERM": "truecolor"], exists: all), "already direct")
        XCTAssertNil(TerminalCapabilities.directColourTerminfo(
            environment: ["TERM": "screen-256color", "COLORTERM": "truecolor"], exists: { $0 != "screen-direct" }),
            "no such entry: TERM as it is")
    }

    /// A box's colour follows its label: a score shown as "0.80" is green like 0.8 (issue 20).
    func testBoxColourFollowsTheTwoDecimalLabel() {
        let theme = Theme(TerminalCapabilities(unicode: true, colors: .palette256))
        XCTAssertEqual(theme.boxColour(score: 0.7996), theme.boxColour(score: 0.8))
        XCTAssertEqual(theme.boxColour(score: 0.8), 46)
        XCTAssertEqual(theme.boxColour(score: 0.794), 226)
    }
}
