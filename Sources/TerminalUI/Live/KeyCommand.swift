import Foundation

/// What a key press asks for.
public enum KeyCommand: Sendable, Equatable {
    case quit
    /// Esc on its own: closes an overlay, otherwise does nothing.
    case escape
    case togglePause
    case toggleMemoryOverlay
    case cycleMode
    case raiseThreshold
    case lowerThreshold
    case resetThreshold
    case toggleRecording
    case saveFrame
    case toggleHelp
    case resize
    /// File replay: the next frame, paused (`.`), the previous one (`,`), 5 s back
    /// (←) or ahead (→).
    case stepForward
    case stepBack
    case seekBack
    case seekForward

    static let escapeKey: Int32 = 27
    static let controlC: Int32 = 3
    /// ncurses' KEY_LEFT and KEY_RIGHT (keypad mode).
    static let leftArrow: Int32 = 0o404
    static let rightArrow: Int32 = 0o405

    /// Maps a curses key code (`wgetch`'s result) to a command; nil for other keys.
    /// Keys ncurses decodes (Home, End, function keys, arrows: codes above 255 with
    /// `keypad` on) and 8-bit meta keys are nil, so they do nothing.
    public init?(key: Int32, resizeCode: Int32) {
        if key == resizeCode { self = .resize; return }
        if key == Self.escapeKey { self = .escape; return }
        if key == Self.controlC { self = .quit; return }
        if key == Self.leftArrow { self = .seekBack; return }
        if key == Self.rightArrow { self = .seekForward; return }
        guard key > 0, key < 128, let scalar = Unicode.Scalar(UInt32(key)) else { return nil }
        switch Character(scalar) {
        case "q", "Q": self = .quit
        case " ": self = .togglePause
        case "m", "M": self = .toggleMemoryOverlay
        case "c", "C": self = .cycleMode
        case "+", "=": self = .raiseThreshold
        case "-", "_": self = .lowerThreshold
        case "0": self = .resetThreshold
        case "r", "R": self = .toggleRecording
        case "s", "S": self = .saveFrame
        case "h", "H", "?": self = .toggleHelp
        case ".", ">": self = .stepForward
        case ",", "<": self = .stepBack
        default: return nil
        }
    }
}

extension KeyCommand {
    /// Reads one command from `first` and the keys already waiting behind it (`next`
    /// returns nil when none is). An Esc with more bytes right behind it is not the Esc
    /// key but an escape sequence ncurses did not decode (Alt+key arrives as Esc then
    /// the key; some terminals' Home/End/F-keys are missing from terminfo): the whole
    /// sequence is swallowed so that, for example, Alt+q does not quit. A resize right
    /// behind an Esc is not part of a sequence: both come back, in order.
    public static func read(first: Int32, next: () -> Int32?, resizeCode: Int32) -> [KeyCommand] {
        if first == escapeKey, let second = next() {
            if second == resizeCode { return [.escape, .resize] }
            while next() != nil {}
            return []
        }
        return KeyCommand(key: first, resizeCode: resizeCode).map { [$0] } ?? []
    }
}

/// The user-controlled view state and how keys change it. The live loop owns one;
/// recording, saving and quitting are side effects it handles itself.
public struct ViewControls: Sendable, Equatable {
    public var mode: PreviewMode
    public var overlay: Overlay
    public var threshold: Float
    public var paused: Bool
    /// The threshold the session started with (the model's own unless --threshold): `0`.
    public let initialThreshold: Float

    /// Where `+` and `-` step to; a threshold outside it (--threshold 0.99) is left
    /// alone by the key that would move it further out, never moved the other way.
    public static let thresholdRange: ClosedRange<Float> = 0.05...0.95

    public init(mode: PreviewMode, overlay: Overlay = .none, threshold: Float, paused: Bool = false) {
        self.mode = mode
        self.overlay = overlay
        self.threshold = threshold
        self.paused = paused
        initialThreshold = threshold
    }

    /// Applies a view command; returns a short notice for the status bar, if any.
    @discardableResult
    public mutating func apply(_ command: KeyCommand, modes: [PreviewMode]) -> String? {
        switch command {
        case .togglePause:
            paused.toggle()
            return nil
        case .toggleMemoryOverlay:
            overlay = overlay == .memory ? .none : .memory
            return nil
        case .toggleHelp:
            overlay = overlay == .help ? .none : .help
            return nil
        case .escape:
            overlay = .none
            return nil
        case .cycleMode:
            guard modes.count > 1 else {
                return "block-symbol previews need a UTF-8 locale"
            }
            let index = modes.firstIndex(of: mode) ?? -1
            mode = modes[(index + 1) % modes.count]
            return "preview: \(mode.displayName)"
        case .raiseThreshold, .lowerThreshold:
            let step = command == .raiseThreshold ? LiveOptions.thresholdStep : -LiveOptions.thresholdStep
            // Round to the step so repeated presses land on 0.50, 0.55, ... exactly.
            let next = ((threshold + step) / LiveOptions.thresholdStep).rounded() * LiveOptions.thresholdStep
            let clamped = min(Self.thresholdRange.upperBound, max(Self.thresholdRange.lowerBound, next))
            threshold = command == .raiseThreshold ? max(threshold, clamped) : min(threshold, clamped)
            return String(format: "threshold %.2f", threshold)
        case .resetThreshold:
            threshold = initialThreshold
            return String(format: "threshold %.2f, as at the start", threshold)
        case .stepForward, .stepBack:
            paused = true   // a step shows one frame and stays there
            return nil
        case .quit, .toggleRecording, .saveFrame, .resize, .seekBack, .seekForward:
            return nil
        }
    }
}
