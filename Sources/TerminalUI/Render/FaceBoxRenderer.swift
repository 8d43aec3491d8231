import Foundation
import RNNPoolEngine

/// Draws face boxes with their scores over the preview, through the preview's own
/// pixel-to-cell mapping. Boxes reaching past the frame are clipped to its edge, so
/// they never spill over the status bar or outside the picture.
enum FaceBoxRenderer {
    /// `sourceWidth`/`sourceHeight`: the frame the boxes were found in; when it differs
    /// from the frame on screen (the camera changed size), boxes are rescaled.
    static func draw(_ faces: [FaceBox], sourceWidth: Int, sourceHeight: Int,
                     layout: PreviewLayout, theme: Theme, into grid: inout CellGrid) {
        let sx = Double(layout.frameWidth) / Double(max(1, sourceWidth))
        let sy = Double(layout.frameHeight) / Double(max(1, sourceHeight))
        // Lowest score first so the best face's label ends up on top.
        for face in faces.sorted(by: { $0.score < $1.score }) {
            guard let rect = layout.cellRect(x: Double(face.x) * sx, y: Double(face.y) * sy,
                                             width: Double(face.w) * sx, height: Double(face.h) * sy)
            else { continue }
            drawRectangle(rect, theme: theme, into: &grid)
            drawLabel(String(format: "%.2f", face.score), rect: rect, layout: layout,
                      theme: theme, into: &grid)
        }
    }

    private static func drawRectangle(_ r: (left: Int, top: Int, right: Int, bottom: Int),
                                      theme: Theme, into grid: inout CellGrid) {
        func set(_ x: Int, _ y: Int, _ character: Character) {
            guard grid.contains(x: x, y: y) else { return }
            // Keep the picture's main colour in the cell (the one most of its symbol
            // shows) behind the line, so the face stays visible around it.
            let picture = grid[x, y]
            let inkCovers = ChafaGlyphMasks.mask(for: picture.character).nonzeroBitCount > 32
            let behind = inkCovers ? picture.foreground : picture.background
            grid[x, y] = Cell(character, foreground: theme.boxForeground, background: behind,
                              bold: true)
        }
        if r.left == r.right && r.top == r.bottom {
            set(r.left, r.top, theme.capabilities.unicode ? "□" : "#")
            return
        }
        if r.top == r.bottom {
            for x in r.left...r.right { set(x, r.top, theme.horizontal) }
            return
        }
        if r.left == r.right {
            for y in r.top...r.bottom { set(r.left, y, theme.vertical) }
            return
        }
        for x in (r.left + 1)..<r.right {
            set(x, r.top, theme.horizontal)
            set(x, r.bottom, theme.horizontal)
        }
        for y in (r.top + 1)..<r.bottom {
            set(r.left, y, theme.vertical)
            set(r.right, y, theme.vertical)
        }
        set(r.left, r.top, theme.topLeft)
        set(r.right, r.top, theme.topRight)
        set(r.left, r.bottom, theme.bottomLeft)
        set(r.right, r.bottom, theme.bottomRight)
    }

    /// The score goes on the top edge when the box is wide enough, otherwise just above
    /// (or below, at the picture's top edge), kept inside the picture.
    private static func drawLabel(_ label: String, rect r: (left: Int, top: Int, right: Int, bottom: Int),
                                  layout: PreviewLayout, theme: Theme, into grid: inout CellGrid) {
        let length = label.count
        let pictureRight = layout.left + layout.columns
        guard layout.columns >= length else { return }
        var x: Int, y: Int
        if r.right - r.left - 1 >= length {
            x = r.left + 1
            y = r.top
        } else {
            x = r.left
            y = r.top > layout.top ? r.top - 1 : r.bottom + 1
            guard y < layout.top + layout.rows else { return }
        }
        x = min(x, pictureRight - length)
        for (offset, character) in label.enumerated() where grid.contains(x: x + offset, y: y) {
            grid[x + offset, y] = Cell(character, foreground: theme.boxForeground,
                                       background: grid[x + offset, y].background, bold: true)
        }
    }
}
