/// Greedy NMS of NETWORK.md §6 over candidates already sorted best first: a box is
/// dropped when its IoU (continuous areas, no +1) with any kept box exceeds `iou`.
enum NonMaximumSuppression {
    static func run(_ sorted: [Candidate], iou threshold: Float, maxDetections: Int) -> [Candidate] {
        var kept: [Candidate] = []
        for c in sorted {
            if kept.count >= maxDetections { break }
            if kept.contains(where: { iou($0, c) > threshold }) { continue }
            kept.append(c)
        }
        return kept
    }

    static func iou(_ a: Candidate, _ b: Candidate) -> Float {
        let iw = max(0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
        let ih = max(0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
        let inter = iw * ih
        let union = a.w * a.h + b.w * b.h - inter
        return union > 0 ? inter / max(union, 1e-12) : 0
    }
}
