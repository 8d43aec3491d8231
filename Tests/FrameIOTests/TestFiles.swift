import Foundation

/// A scratch directory per test case, removed afterwards.
final class TestFiles {
    let directory: String

    init() {
        directory = NSTemporaryDirectory() + "rnnpool-cam-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func path(_ name: String) -> String { directory + "/" + name }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let p = path(name)
        FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }

    func read(_ path: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path) ?? Data())
    }
}

/// Builds .y4m bytes: a header line and frames whose payloads come from a pattern.
enum Y4MBytes {
    static func file(header: String, frames: [[UInt8]], frameLine: String = "FRAME") -> [UInt8] {
        var out = Array((header + "\n").utf8)
        for f in frames {
            out += Array((frameLine + "\n").utf8)
            out += f
        }
        return out
    }

    /// A payload of `count` bytes where byte i of frame k is (k * 31 + i * 7 + salt) & 255.
    static func payload(_ count: Int, frame k: Int, salt: Int = 0) -> [UInt8] {
        (0..<count).map { UInt8((k * 31 + $0 * 7 + salt) & 255) }
    }
}
