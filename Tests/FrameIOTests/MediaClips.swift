import Foundation
import XCTest

/// Clips and photos made at test time with the ffmpeg tool from assets/demo.y4m (none
/// are committed). scripts/setup.sh installs ffmpeg, so a missing one fails the tests
/// that need it rather than skipping them quietly.
enum MediaClips {
    static let demo: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/assets/demo.y4m"
    }()

    static let ffmpeg: String? = ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Runs ffmpeg with `arguments` (after -y -v error) and fails the test if it fails.
    static func make(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        guard let ffmpeg else {
            XCTFail("ffmpeg is not installed (scripts/setup.sh installs it)", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ffmpeg)
        p.arguments = ["-y", "-v", "error", "-nostdin"] + arguments
        let err = Pipe()
        p.standardError = err
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "ffmpeg \(arguments.joined(separator: " ")): \(text)", file: file, line: line)
    }

    /// Runs libheif's heif-enc (scripts/setup.sh installs libheif-examples) with
    /// `arguments`, failing the test if it is missing or fails.
    static func heifEncode(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/heif-enc") else {
            XCTFail("heif-enc is not installed (scripts/setup.sh installs libheif-examples)", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/heif-enc")
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "heif-enc \(arguments.joined(separator: " "))", file: file, line: line)
    }

    /// The demo as H.264 in MP4 (`.mp4`) or VP8 in WebM (`.webm`) in `directory`.
    static func clip(_ name: String, in directory: String) throws -> String {
        let out = directory + "/" + name
        let codec = name.hasSuffix(".webm") ? ["-c:v", "libvpx", "-b:v", "1M"] : ["-c:v", "libx264", "-pix_fmt", "yuv420p"]
        try make(["-i", demo] + codec + [out])
        return out
    }

    /// The first `count` bytes of `path` as a new file `name`.
    static func cut(_ path: String, to count: Int, as name: String, in directory: String) -> String {
        let bytes = FileManager.default.contents(atPath: path)!.prefix(count)
        let out = directory + "/" + name
        FileManager.default.createFile(atPath: out, contents: Data(bytes))
        return out
    }
}
