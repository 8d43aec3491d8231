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

    /// Box voting (NETWORK.md §6): each kept box's corners become the score-weighted mean
    /// (in Double) of the corners of every candidate in `sorted` (the top_k, itself
    /// included) whose IoU with it is at least `threshold`. Scores and order stay: the
    /// neighbours NMS dropped still say where the face is, and averaging them steadies
    /// the box (val AP50 +0.007, AP at IoU 0.7 +0.02 for the shipped model).
    static func vote(_ kept: [Candidate], among sorted: [Candidate], iou threshold: Float) -> [Candidate] {
        kept.map { k in
            var x1 = 0.0, y1 = 0.0, x2 = 0.0, y2 = 0.0, total = 0.0
            for c in sorted where iou(k, c) >= threshold {
                let w = Double(c.score)
                x1 += w * Double(c.x); y1 += w * Double(c.y)
                x2 += w * (Double(c.x) + Double(c.w)); y2 += w * (Double(c.y) + Double(c.h))
                total += w
            }
            // k is among `sorted` (IoU 1 with itself) with a score above 0, so total > 0;
            // the guard keeps a caller's other list from dividing by zero.
            guard total > 0 else { return k }
            var v = k
            v.x = Float(x1 / total); v.y = Float(y1 / total)
            v.w = Float(x2 / total - x1 / total); v.h = Float(y2 / total - y1 / total)
            return v
        }
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
