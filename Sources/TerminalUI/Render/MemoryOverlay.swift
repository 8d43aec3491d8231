import LivePipeline
import Foundation
import RNNPoolEngine

/// The `m` overlay: what the RAM cap means for this detector. Our peak within the last
/// frame, the cap and the conventional networks' peaks as bars on one logarithmic
/// scale (they run far past the cap: on a linear one ours would be a cell wide), the
/// cap drawn across every bar, with the ratio and one sentence on what RNNPool does; the weights
/// and the process's RSS for contrast; arena use through the last frame; the bytes each
/// layer holds, as far as the terminal has rows. A frame that failed (cap too small)
/// shows what a frame needs instead of its partial figures, and no ratio.
enum MemoryOverlay {
    static let preferredWidth = 64

    static let whatRNNPoolDoes = "RNNPool reads the image in small overlapping patches through two tiny RNNs, "
        + "so no full-resolution feature map is ever held; the networks below keep whole early layers in RAM."

    static func lines(memory: MemorySnapshot?, frameFailed: Bool = false, requiredBytes: Int? = nil,
                      processRSSBytes: Int?, innerWidth: Int, capacity: Int, theme: Theme) -> [PanelLine] {
        var lines: [PanelLine] = []
        guard let m = memory else {
            lines.append([Run("No model loaded: there is no arena to show.")])
            if let rss = processRSSBytes {
                lines.append([Run("process RSS  \(Formatting.bytes(rss))")])
            }
            return lines
        }
        let names = ["ours (RNNPool)", "ours, rows streamed"] + m.baselines.map(\.name)
        let labelWidth = min(21, (names.map(\.count).max() ?? 14) + 1), valueWidth = 10, ratioWidth = 7
        let barWidth = max(4, innerWidth - labelWidth - valueWidth - ratioWidth - 1)
        // Ours: the peak within the last complete frame; after a failure, what a frame needs.
        let ours = frameFailed ? requiredBytes : m.framePeakBytes
        let scale = LogScale(([m.capBytes, ours ?? 0, m.otherAccountingPeakBytes ?? 0] + m.baselines.map(\.peakBytes)))
        let capColumn = scale.column(m.capBytes, width: barWidth)
        func barLine(_ label: String, _ bytes: Int, colour: CellColor?, ratio: String = "", bold: Bool = false) -> PanelLine {
            [Run(pad(label, labelWidth), bold: bold)]
                + bar(scale.fraction(bytes), width: barWidth, colour: colour, theme: theme, marker: capColumn)
                + [Run(" " + padLeft(Formatting.bytes(bytes), valueWidth - 1)),
                   Run(padLeft(ratio, ratioWidth), bold: true)]
        }
        for line in Formatting.wrap("arena (detector RAM) per frame, log scale from \(Formatting.bytes(scale.low))",
                                    width: innerWidth) {
            lines.append([Run(line, bold: true)])
        }
        if frameFailed {
            if let need = requiredBytes {
                lines.append(barLine("ours needs", need, colour: theme.alertForeground, bold: true))
            } else {
                lines.append([Run(pad("ours", labelWidth), bold: true), Run("did not fit the cap", foreground: theme.alertForeground)])
            }
        } else if m.framePeakBytes == 0 {
            lines.append([Run(pad("ours (RNNPool)", labelWidth), bold: true), Run("no frame measured yet")])
        } else {
            lines.append(barLine("ours (RNNPool)", m.framePeakBytes, colour: theme.barFilled, bold: true))
        }
        if !frameFailed, m.framePeakBytes > 0, let other = m.otherAccountingPeakBytes {
            // The same detector with the input frame held whole / streamed, for comparison.
            lines.append(barLine(m.inputHeld ? "ours, rows streamed" : "ours, frame held", other,
                                 colour: theme.barFilled))
        }
        lines.append(barLine("RAM cap", m.capBytes, colour: theme.panelForeground))
        for baseline in m.baselines {
            // No ratio from a frame that failed: its figures are partial.
            let ratio = frameFailed || m.framePeakBytes == 0 ? ""
                : String(format: "%.1fx", Double(baseline.peakBytes) / Double(m.framePeakBytes))
            lines.append(barLine(baseline.name, baseline.peakBytes,
                                 colour: baseline.peakBytes > m.capBytes ? theme.barWarning : theme.barFilled,
                                 ratio: ratio))
        }
        if frameFailed, let need = requiredBytes {
            lines.append([Run("the cap is too small: try \(RAMCapAdvice.option(for: need))",
                              foreground: theme.alertForeground, bold: true)])
        }
        // What the marks mean (without colour, the figures say which bars pass the cap).
        var legend = [Run(String(theme.capMarker), bold: true), Run(" the RAM cap")]
        if theme.hasColor {
            legend += [Run("   "), Run(String(theme.barFull), foreground: theme.barFilled), Run(" fits it   "),
                       Run(String(theme.barFull), foreground: theme.barWarning), Run(" over it")]
        }
        lines.append(legend)
        for line in Formatting.wrap(whatRNNPoolDoes, width: innerWidth) { lines.append([Run(line)]) }
        var facts = [pad("weights", 9) + "\(Formatting.bytes(m.weightBytes)) read-only (flash on an MCU), not in the arena"]
        if let rss = processRSSBytes {
            facts.append(pad("process", 9) + "\(Formatting.bytes(rss)) RSS (whole Swift process, for contrast)")
        }
        for fact in facts {
            for line in Formatting.wrap(fact, width: innerWidth) { lines.append([Run(line)]) }
        }

        var remaining = capacity - lines.count
        if !frameFailed && !m.timeline.isEmpty && remaining >= 3 {
            lines.append([Run(innerWidth >= 54 ? "arena use through the last frame, 0 to \(Formatting.bytes(m.framePeakBytes)) high:"
                                                : "arena through a frame, 0 to \(Formatting.bytes(m.framePeakBytes)):")])
            lines.append([Run(sparkline(m.timeline, width: innerWidth, theme: theme),
                              foreground: theme.barFilled)])
            lines.append([Run(timeAxis(width: innerWidth, theme: theme))])
            remaining -= 3
        }
        if !m.layers.isEmpty && remaining >= 2 {
            lines.append([Run("bytes each layer holds:")])
            remaining -= 1
            let nameWidth = min(14, max(6, m.layers.map(\.name.count).max() ?? 6))
            let layerBar = max(4, innerWidth - nameWidth - 11 - 1)
            let cut = m.layers.count > remaining
            let shownCount = cut ? max(0, remaining - 1) : m.layers.count
            for layer in m.layers.prefix(shownCount) {
                let fraction = m.capBytes > 0 ? Double(layer.ownBytes) / Double(m.capBytes) : 0
                lines.append([Run(pad(layer.name, nameWidth) + " ")]
                             + bar(fraction, width: layerBar - 1, colour: theme.barFilled, theme: theme)
                             + [Run(" " + padLeft(Formatting.bytes(layer.ownBytes), 10))])
            }
            if cut {
                lines.append([Run("\(theme.ellipsis) \(m.layers.count - shownCount) more layers (enlarge the terminal)")])
            } else if m.layers.contains(where: { $0.ownBytes == 0 }) {
                let note = Formatting.wrap("0 B: the layer reads its block's rows and needs no buffer of its own",
                                           width: innerWidth)
                if remaining - shownCount >= note.count { for line in note { lines.append([Run(line)]) } }
            }
        }
        return lines
    }

    /// A bar `fraction` of `width` long; `marker` (a column) draws the cap across it.
    static func bar(_ fraction: Double, width: Int, colour: CellColor?, theme: Theme, marker: Int? = nil) -> [Run] {
        let clamped = min(1, max(0, fraction.isFinite ? fraction : 0))
        // At least one block for anything above zero, so a small peak is still seen.
        let filled = clamped > 0 ? max(1, Int((clamped * Double(width)).rounded())) : 0
        func cells(_ range: Range<Int>) -> [Run] {
            var runs: [Run] = []
            if range.lowerBound < min(range.upperBound, filled) {
                runs.append(Run(String(repeating: theme.barFull, count: min(range.upperBound, filled) - range.lowerBound),
                                foreground: colour))
            }
            if max(range.lowerBound, filled) < range.upperBound {
                runs.append(Run(String(repeating: theme.barEmpty, count: range.upperBound - max(range.lowerBound, filled))))
            }
            return runs
        }
        guard let m = marker, (0..<width).contains(m) else { return cells(0..<width) }
        return cells(0..<m) + [Run(String(theme.capMarker), bold: true)] + cells((m + 1)..<width)
    }

    /// The sparkline's time axis: the frame's first row on the left, its end on the right.
    static func timeAxis(width: Int, theme: Theme) -> String {
        let left = "frame start", right = "end of frame"
        guard width >= left.count + right.count + 2 else { return pad("start" + " " + "end", width) }
        let dash: Character = theme.capabilities.unicode ? "─" : "-"
        return left + " " + String(repeating: dash, count: width - left.count - right.count - 2) + " " + right
    }

    /// Resamples `values` to `width` columns (keeping each bin's maximum, so short
    /// spikes survive; short timelines are stretched) and maps them onto eight heights, scaled to the largest value.
    static func sparkline(_ values: [Int], width: Int, theme: Theme) -> String {
        guard !values.isEmpty, width > 0 else { return "" }
        let top = max(1, values.max() ?? 1)
        let columns = width
        let levels = theme.sparkLevels
        var text = ""
        for c in 0..<columns {
            let start = c * values.count / columns
            let end = max(start + 1, (c + 1) * values.count / columns)
            let peak = values[start..<end].max() ?? 0
            text.append(levels[min(levels.count - 1, peak * levels.count / (top + 1))])
        }
        return text
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
