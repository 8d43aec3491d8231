import Foundation

/// The two bottom rows: measurements on the first, state and messages on the second.
/// Measurements that do not fit flow onto the second row after the state, and what
/// still does not fit is cut with an ellipsis, so the preview keeps its rows.
enum StatusBar {
    static let rows = 2

    static func draw(_ status: StatusInfo, theme: Theme, into grid: inout CellGrid) {
        guard grid.height >= rows else { return }
        let top = grid.height - rows
        let fg = theme.statusForeground, bg = theme.statusBackground
        grid.fill(x: 0, y: top, width: grid.width, height: rows,
                  with: Cell(" ", foreground: fg, background: bg))
        defer {
            // Without colours the bar is set apart from the picture in reverse video.
            if !theme.hasColor {
                for index in (top * grid.width)..<(grid.height * grid.width) { grid.cells[index].reverse = true }
            }
        }

        // Row 1: measurements while they fit. Row 2: state and notices first (they
        // matter more), then the measurements that did not fit on row 1.
        var lines: [[(String, Bool)]] = [[], stateSegments(status)]   // (segment, is alert)
        var overflow: [(String, Bool)] = []
        var used = 0
        let separator = theme.separator
        for segment in measurementSegments(status) {
            let needed = (used == 0 ? 0 : separator.count) + segment.count
            if !overflow.isEmpty || (used > 0 && used + needed > grid.width) {
                overflow.append((segment, false))
                continue
            }
            lines[0].append((segment, false))
            used += needed
        }
        lines[1].append(contentsOf: overflow)

        var rowEnds = [0, 0]
        for (index, segments) in lines.enumerated() {
            var x = 0
            let y = top + index
            for (n, (segment, alert)) in segments.enumerated() {
                if n > 0 {
                    guard grid.width - x > separator.count + 1 else { break }
                    x = grid.put(separator, x: x, y: y, foreground: fg, background: bg)
                }
                let remaining = grid.width - x
                if remaining <= 0 { break }
                let text = segment.count > remaining
                    ? String(segment.prefix(max(0, remaining - 1))) + String(theme.ellipsis)
                    : segment
                x = grid.put(text, x: x, y: y, foreground: alert ? theme.alertForeground : fg,
                             background: bg, bold: alert)
            }
            rowEnds[index] = x
        }
        // The help hint stays visible at the right end of the second row when it fits.
        let hint = "h help"
        if grid.width - rowEnds[1] >= hint.count + 1 {
            grid.put(hint, x: grid.width - hint.count, y: top + 1, foreground: fg, background: bg)
        }
    }

    static func measurementSegments(_ s: StatusInfo) -> [String] {
        var segments: [String] = []
        var source = s.source
        // Sources that name their size in the label (e.g. "demo.y4m 320x240 mono") keep it.
        if let w = s.frameWidth, let h = s.frameHeight, !source.contains("\(w)x\(h)") {
            source += " \(w)x\(h)"
        }
        segments.append(source)
        // "source": frames the camera or file delivers ("cap" read as the RAM cap).
        segments.append("source \(Formatting.fps(s.captureFPS)) fps")
        switch s.detector {
        case .absent:
            break
        case .running, .failed:
            segments.append("det \(Formatting.milliseconds(s.detectorMilliseconds)) ms "
                            + "\(Formatting.fps(s.detectorFPS)) fps")
        }
        // The arena figure is the demo's point: it and the faces come before the
        // display's own figures, so a narrow terminal cuts those first.
        if let m = s.memory {
            // A failed frame's figures are partial: say what a frame needs instead.
            if s.detectorFailed {
                let need = s.requiredArenaBytes.map { "needs \(Formatting.kibibytes($0)) KiB, " } ?? "over cap, "
                segments.append("arena \(need)cap \(Formatting.kibibytes(m.capBytes)) KiB")
            } else {
                // "arena": the detector's working RAM, the word the memory overlay uses.
                segments.append("arena \(Formatting.kibibytes(m.peakBytes)) of \(Formatting.kibibytes(m.capBytes)) KiB")
            }
        } else if let cap = s.ramCapBytes {
            segments.append("arena cap \(Formatting.kibibytes(cap)) KiB")
        }
        if s.detector != .absent {
            segments.append("faces \(s.faceCount)")
            segments.append(String(format: "thr %.2f", s.threshold))
        }
        segments.append("shown \(Formatting.fps(s.displayFPS)) fps")
        segments.append("draw \(Formatting.milliseconds(s.renderMilliseconds)) ms")
        if s.detector != .absent { segments.append("dropped \(s.droppedFrames)") }
        return segments
    }

    static func stateSegments(_ s: StatusInfo) -> [(String, Bool)] {
        var segments: [(String, Bool)] = []
        if s.paused { segments.append(("PAUSED", true)) }
        if let frames = s.recordingFrames { segments.append(("REC \(frames) frames", true)) }
        if s.endOfSource { segments.append(("end of source", false)) }
        if s.sourceError != nil { segments.append(("SOURCE ERROR", true)) }
        switch s.detector {
        case .absent: segments.append(("no model loaded: preview only", true))
        case .running: break
        case .failed: segments.append(("DETECTOR ERROR", true))
        }
        return segments
    }
}
