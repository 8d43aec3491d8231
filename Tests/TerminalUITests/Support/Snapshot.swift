import Foundation
import XCTest
@testable import TerminalUI

/// Snapshot tests compare a rendered grid with text checked in under
/// Tests/TerminalUITests/Snapshots/NAME.txt.
///
/// Re-record after an intended change with
///     RECORD_SNAPSHOTS=1 swift test --filter TerminalUITests
/// (recording runs fail on purpose, so a recording can never pass unnoticed), then
/// review the diff of the .txt files and commit them.
///
/// Format: the text rows, each closed with `|` so trailing blanks stay visible; with
/// `colours`, the foreground and background layers follow, one character per cell:
/// `.` = terminal default, `a`...`x` = grey ramp 232...255, capitals = the other palette
/// indices listed in the legend, `0`...`9` = 24-bit colours by grey level (0 darkest);
/// then a layer marking bold (`B`) and reverse (`R`) cells.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Snapshots")

    static func text(of grid: CellGrid, colours: Bool) -> String {
        var out = "# \(grid.width)x\(grid.height)\n"
        out += grid.textRows.map { $0 + "|" }.joined(separator: "\n") + "\n"
        guard colours else { return out }
        var legend: [UInt8: Character] = [:]
        var order: [UInt8] = []
        let capitals = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        func code(_ cellColour: CellColor?) -> Character {
            guard let cellColour else { return "." }
            guard case .palette(let colour) = cellColour else {
                return Character(String(min(9, cellColour.grey * 10 / 256)))
            }
            if colour >= 232 { return Character(Unicode.Scalar(UInt8(ascii: "a") + (colour - 232))) }
            if let known = legend[colour] { return known }
            let letter = capitals[min(order.count, capitals.count - 1)]
            legend[colour] = letter
            order.append(colour)
            return letter
        }
        func layer(_ pick: (Cell) -> Character) -> String {
            (0..<grid.height).map { y in
                String((0..<grid.width).map { x in pick(grid[x, y]) })
            }.joined(separator: "\n")
        }
        let foreground = layer { code($0.foreground) }
        let background = layer { code($0.background) }
        let attributes = layer { $0.bold ? "B" : ($0.reverse ? "R" : ".") }
        out += "# foreground\n\(foreground)\n# background\n\(background)\n# bold/reverse\n\(attributes)\n"
        out += "# legend " + order.map { "\(legend[$0]!)=\($0)" }.joined(separator: " ") + "\n"
        return out
    }

    static func assert(_ grid: CellGrid, named name: String, colours: Bool = false,
                       file: StaticString = #filePath, line: UInt = #line) {
        let actual = text(of: grid, colours: colours)
        let url = directory.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            XCTFail("recorded snapshot \(name); re-run without RECORD_SNAPSHOTS", file: file, line: line)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("no snapshot \(url.path); record it with RECORD_SNAPSHOTS=1\n\(actual)", file: file, line: line)
            return
        }
        if expected != actual {
            XCTFail("snapshot \(name) differs.\n--- expected\n\(expected)--- actual\n\(actual)", file: file, line: line)
        }
    }
}
