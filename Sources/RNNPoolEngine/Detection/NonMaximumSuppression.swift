/// Greedy NMS of NETWORK.md §6 over candidates already sorted best first: a box is
/// dropped when its IoU (continuous areas, no +1) with any kept box exceeds `iou`, or,
/// when `nested` is given, when the overlap covers more than `nested` of the smaller
/// box's area (one box inside the other is a duplicate even at a low IoU).
enum NonMaximumSuppression {
    static func run(_ sorted: [Candidate], iou threshold: Float, nested: Float? = nil,
                    maxDetections: Int) -> [Candidate] {
        var kept: [Candidate] = []
        for c in sorted {
            if kept.count >= maxDetections { break }
            if kept.contains(where: { iou($0, c) > threshold }) { continue }
            if let nested, kept.contains(where: { overlapOfSmaller($0, c) > nested }) { continue }
            kept.append(c)
        }
        return kept
    }

    static func iou(_ a: Candidate, _ b: Candidate) -> Float {
        let inter = intersection(a, b)
        let union = a.w * a.h + b.w * b.h - inter
        return union > 0 ? inter / max(union, 1e-12) : 0
    }

    /// Intersection over the smaller box's area: 1 when one box lies inside the other.
    static func overlapOfSmaller(_ a: Candidate, _ b: Candidate) -> Float {
        let smaller = min(a.w * a.h, b.w * b.h)
        return smaller > 0 ? intersection(a, b) / max(smaller, 1e-12) : 0
    }

    private static func intersection(_ a: Candidate, _ b: Candidate) -> Float {
        let iw = max(0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
        let ih = max(0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
        return iw * ih
    }
}
