import FrameIO
import RNNPoolEngine

/// What the commands print is in the picture's own pixels: a photo decoded at a fraction
/// of its size (`Frame.reducedFrom`) reports its own size and its faces scaled back.
extension Frame {
    var sourceSize: (width: Int, height: Int) { reducedFrom ?? (width, height) }

    func inSourcePixels(_ faces: [FaceBox]) -> [FaceBox] {
        guard let full = reducedFrom else { return faces }
        let sx = Float(full.width) / Float(width), sy = Float(full.height) / Float(height)
        return faces.map { $0.scaled(x: sx, y: sy) }
    }
}
