import Foundation
import RNNPoolEngine

/// The `m` overlay: what the RAM cap means for this detector. Arena cap, current and
/// peak use as bars, the process's real RSS for contrast, the conventional CNN's peak
/// from the engine's baseline plan and the ratio, a timeline of arena use through the
/// last frame, and the bytes each layer holds as far as the terminal has rows.
enum MemoryOverlay {
    static let preferredWidth = 64

    static func lines(memory: MemorySnapshot?, processRSSBytes: Int?, innerWidth: Int,
                      capacity: Int, theme: Theme) -> [PanelLine] {
        var lines: [PanelLine] = []
        guard let m = memory else {
            lines.append([Run("No model loaded: there is no arena to show.")])
            if let rss = processRSSBytes {
                lines.append([Run("process RSS  \(Formatting.bytes(rss))")])
            }
            return lines
        }
        let labelWidth = 11, valueWidth = 11
        let barWidth = max(4, innerWidth - labelWidth - valueWidth - 1)
        func barLine(_ label: String, _ bytes: Int) -> PanelLine {
            let fraction = m.capBytes > 0 ? Double(bytes) / Double(m.capBytes) : 0
            return [Run(pad(label, labelWidth))] + bar(fraction, width: barWidth, theme: theme)
                + [Run(" " + padLeft(Formatting.bytes(bytes), valueWidth - 1))]
        }
        lines.append(barLine("cap", m.capBytes))
        lines.append(barLine("current", m.currentBytes))
        lines.append(barLine("peak", m.peakBytes))
        lines.append(barLine("last frame", m.framePeakBytes))
        lines.append([Run(pad("weights", labelWidth)),
                      Run("\(Formatting.bytes(m.weightBytes)) read-only (flash), outside the arena")])
        if let rss = processRSSBytes {
            lines.append([Run(pad("process", labelWidth)),
                          Run("\(Formatting.bytes(rss)) RSS (whole Swift process, for contrast)")])
        }
        var conventional = "conventional CNN peak \(Formatting.bytes(m.baselinePeakBytes))"
        if m.peakBytes > 0 && m.baselinePeakBytes > 0 {
            conventional += String(format: " = %.1fx RNNPool's peak", Double(m.baselinePeakBytes) / Double(m.peakBytes))
        }
        lines.append([Run(conventional, bold: true)])

        var remaining = capacity - lines.count
        if !m.timeline.isEmpty && remaining >= 2 {
            let top = m.timeline.max() ?? 0
            lines.append([Run("arena through the last frame (top = \(Formatting.bytes(top))):")])
            lines.append([Run(sparkline(m.timeline, width: innerWidth, theme: theme),
                              foreground: theme.barFilled)])
            remaining -= 2
        }
        if !m.layers.isEmpty && remaining >= 2 {
            lines.append([Run("bytes each layer holds:")])
            remaining -= 1
            let nameWidth = min(14, max(6, m.layers.map(\.name.count).max() ?? 6))
            let layerBar = max(4, innerWidth - nameWidth - valueWidth - 1)
            let cut = m.layers.count > remaining
            let shownCount = cut ? max(0, remaining - 1) : m.layers.count
            for layer in m.layers.prefix(shownCount) {
                let fraction = m.capBytes > 0 ? Double(layer.ownBytes) / Double(m.capBytes) : 0
                lines.append([Run(pad(layer.name, nameWidth) + " ")]
                             + bar(fraction, width: layerBar - 1, theme: theme)
                             + [Run(" " + padLeft(Formatting.bytes(layer.ownBytes), valueWidth - 1))])
            }
            if cut {
                lines.append([Run("\(theme.ellipsis) \(m.layers.count - shownCount) more layers (enlarge the terminal)")])
            }
        }
        return lines
    }

    static func bar(_ fraction: Double, width: Int, theme: Theme) -> [Run] {
        let clamped = min(1, max(0, fraction.isFinite ? fraction : 0))
        let filled = Int((clamped * Double(width)).rounded())
        let colour = clamped >= 0.9 ? theme.barWarning : theme.barFilled
        return [Run(String(repeating: theme.barFull, count: filled), foreground: colour),
                Run(String(repeating: theme.barEmpty, count: width - filled))]
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
