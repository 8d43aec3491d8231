/// Keeps faces steady across the frames of a stream: each face keeps an id, its box
/// and score are smoothed, and score hysteresis stops a face hovering at the threshold
/// from blinking.
///
/// Per frame: detections are matched to the existing tracks greedily by IoU (highest
/// first, at least `minimumIoU`). A matched track moves part of the way to its
/// detection (`smoothing`) and averages its score. A detection nobody matched starts a
/// new track (a new id) only when it reaches the threshold; it is shown at once when it
/// clears threshold + `hysteresis`, else only once the next frame confirms it (so a
/// one-frame false alarm just over the threshold never appears, and a clear face shows
/// in its first frame). A track is shown once its
/// score reaches the threshold and stays shown until it falls below threshold -
/// `hysteresis`; a track without a detection is kept (and shown, if it was) for
/// `maximumMissedFrames`, then dropped, so a box neither blinks on one missed frame
/// nor lingers after the face has gone. The detector must therefore report
/// candidates down to `detectionThreshold(for:)`.
public struct FaceTracker: Sendable {
    public var minimumIoU: Float = 0.3
    public var hysteresis: Float = 0.1
    public var maximumMissedFrames = 2
    /// Weight of the new detection in the smoothed box and score.
    public var smoothing: Float = 0.6

    private struct Track: Sendable {
        var id: Int
        var box: FaceBox
        var shown: Bool
        var missed: Int
    }

    private var tracks: [Track] = []
    private var nextID = 1

    public init() {}

    /// The threshold to run the detector at so that shown faces can be held down to
    /// threshold - hysteresis.
    public func detectionThreshold(for threshold: Float) -> Float {
        max(0.01, threshold - hysteresis)
    }

    /// Updates the tracks with one frame's detections (in that frame's pixels) and
    /// returns the faces to show, with ids, best score first.
    public mutating func update(_ detections: [FaceBox], threshold: Float) -> [FaceBox] {
        var pairs: [(iou: Float, track: Int, detection: Int)] = []
        for (t, track) in tracks.enumerated() {
            for (d, detection) in detections.enumerated() {
                let overlap = Self.iou(track.box, detection)
                if overlap >= minimumIoU { pairs.append((overlap, t, d)) }
            }
        }
        pairs.sort { $0.iou > $1.iou }
        var trackTaken = [Bool](repeating: false, count: tracks.count)
        var detectionTaken = [Bool](repeating: false, count: detections.count)
        for pair in pairs where !trackTaken[pair.track] && !detectionTaken[pair.detection] {
            trackTaken[pair.track] = true
            detectionTaken[pair.detection] = true
            var track = tracks[pair.track]
            track.box = Self.blend(track.box, toward: detections[pair.detection], weight: smoothing)
            track.missed = 0
            track.shown = track.shown ? track.box.score >= threshold - hysteresis : track.box.score >= threshold
            tracks[pair.track] = track
        }
        for t in tracks.indices where !trackTaken[t] { tracks[t].missed += 1 }
        tracks.removeAll { $0.missed > maximumMissedFrames || (!$0.shown && $0.missed > 0) }
        for (d, detection) in detections.enumerated() where !detectionTaken[d] && detection.score >= threshold {
            tracks.append(Track(id: nextID, box: detection, shown: detection.score >= threshold + hysteresis,
                                missed: 0))
            nextID += 1
        }
        return tracks.filter(\.shown)
            .map { var box = $0.box; box.id = $0.id; return box }
            .sorted { $0.score > $1.score }
    }

    /// Forgets every track (ids keep counting up).
    public mutating func reset() { tracks.removeAll() }

    /// Forgets every track and numbers the next faces from 1 again: the source started
    /// over (a replay's loop), so its faces are new, not the old ones come back.
    public mutating func restart() {
        tracks.removeAll()
        nextID = 1
    }

    static func blend(_ a: FaceBox, toward b: FaceBox, weight: Float) -> FaceBox {
        func mix(_ p: Float, _ q: Float) -> Float { p + (q - p) * weight }
        return FaceBox(x: mix(a.x, b.x), y: mix(a.y, b.y), w: mix(a.w, b.w), h: mix(a.h, b.h),
                       score: mix(a.score, b.score))
    }

    static func iou(_ a: FaceBox, _ b: FaceBox) -> Float {
        let x0 = max(a.x, b.x), y0 = max(a.y, b.y)
        let x1 = min(a.x + a.w, b.x + b.w), y1 = min(a.y + a.h, b.y + b.h)
        let inter = max(0, x1 - x0) * max(0, y1 - y0)
        let union = a.w * a.h + b.w * b.h - inter
        return union > 0 ? inter / union : 0
    }
}
