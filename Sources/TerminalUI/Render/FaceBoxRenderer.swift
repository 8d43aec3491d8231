import Foundation
import RNNPoolEngine

/// Draws face boxes with their scores over the preview, through the preview's own
/// pixel-to-cell mapping. Boxes reaching past the frame are clipped to its edge, so
/// they never spill over the status bar or outside the picture.
enum FaceBoxRenderer {
    typealias Rect = (left: Int, top: Int, right: Int, bottom: Int)

    /// Symbols chafa may use whose ink covers more than half the cell; in every other
    /// cell (ASCII, half and quarter blocks, thin eighths) the background shows most.
    static let mostlyInk: Set<Character> = ["█", "▇", "▆", "▅", "▉", "▊", "▋", "▙", "▛", "▜", "▟"]

    /// `sourceWidth`/`sourceHeight`: the frame the boxes were found in; when it differs
    /// from the frame on screen (the camera changed size), boxes are rescaled.
    /// All rectangles are drawn first (weakest first, so the best face's lines are on
    /// top), then the labels, best face first, each where it overlaps no other label.
    static func draw(_ faces: [FaceBox], sourceWidth: Int, sourceHeight: Int,
                     layout: PreviewLayout, theme: Theme, into grid: inout CellGrid) {
        let sx = Double(layout.frameWidth) / Double(max(1, sourceWidth))
        let sy = Double(layout.frameHeight) / Double(max(1, sourceHeight))
        var placed: [(face: FaceBox, rect: Rect)] = []
        for face in faces.sorted(by: { $0.score < $1.score }) {
            guard let rect = layout.cellRect(x: Double(face.x) * sx, y: Double(face.y) * sy,
                                             width: Double(face.w) * sx, height: Double(face.h) * sy)
            else { continue }
            drawRectangle(rect, colour: theme.boxColour(score: face.score), theme: theme, into: &grid)
            placed.append((face, rect))
        }
        var taken: [(y: Int, left: Int, right: Int)] = []
        for (face, rect) in placed.reversed() {
            let score = String(format: "%.2f", face.score)
            let texts = face.id.map { ["#\($0) \(score)", score] } ?? [score]
            for text in texts {
                if let spot = labelSpot(text.count, rect: rect, layout: layout, avoiding: taken) {
                    writeLabel(text, at: spot, colour: theme.boxColour(score: face.score), into: &grid)
                    taken.append((spot.y, spot.x, spot.x + text.count))
                    break
                }
            }
        }
    }

    private static func drawRectangle(_ r: Rect, colour: CellColor?, theme: Theme, into grid: inout CellGrid) {
        func set(_ x: Int, _ y: Int, _ character: Character) {
            guard grid.contains(x: x, y: y) else { return }
            // Keep the picture's main colour in the cell (the one most of its symbol
            // shows) behind the line, so the face stays visible around it.
            let picture = grid[x, y]
            let behind = mostlyInk.contains(picture.character) ? picture.foreground : picture.background
            grid[x, y] = Cell(character, foreground: colour, background: behind, bold: true)
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

    /// Where a label of `length` cells goes: on the box's top edge when the box is
    /// wide enough, else just above it, just below it, or on its bottom edge; inside
    /// the picture and clear (by one cell) of every label already placed. Nil when no
    /// spot is free.
    static func labelSpot(_ length: Int, rect r: Rect, layout: PreviewLayout,
                          avoiding taken: [(y: Int, left: Int, right: Int)]) -> (x: Int, y: Int)? {
        let pictureRight = layout.left + layout.columns
        guard layout.columns >= length else { return nil }
        let fitsOnEdge = r.right - r.left - 1 >= length
        var candidates: [(x: Int, y: Int)] = []
        if fitsOnEdge { candidates.append((r.left + 1, r.top)) }
        candidates.append((r.left, r.top - 1))
        candidates.append((r.left, r.bottom + 1))
        if fitsOnEdge && r.bottom > r.top { candidates.append((r.left + 1, r.bottom)) }
        for candidate in candidates {
            let x = max(layout.left, min(candidate.x, pictureRight - length))
            let y = candidate.y
            guard y >= layout.top, y < layout.top + layout.rows else { continue }
            let clear = taken.allSatisfy { $0.y != y || x + length + 1 <= $0.left || $0.right + 1 <= x }
            if clear { return (x, y) }
        }
        return nil
    }

    private static func writeLabel(_ label: String, at spot: (x: Int, y: Int), colour: CellColor?,
                                   into grid: inout CellGrid) {
        for (offset, character) in label.enumerated() where grid.contains(x: spot.x + offset, y: spot.y) {
            grid[spot.x + offset, spot.y] = Cell(character, foreground: colour,
                                                 background: grid[spot.x + offset, spot.y].background, bold: true)
        }
    }
}
