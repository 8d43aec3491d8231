import FrameIO
import XCTest

/// Files we write decode in ffmpeg, and files ffmpeg writes replay here. Runs where
/// ffmpeg is installed (CI installs it) and is skipped with the reason elsewhere.
final class FFmpegRoundTripTests: XCTestCase {
    let scratch = Scratch()

    private func ffmpeg() throws -> String {
        guard let path = BinaryRunner.ffmpeg else {
            throw XCTSkip("ffmpeg is not installed; the .y4m round trip with ffmpeg is not checked here (apt-get install ffmpeg)")
        }
        return path
    }

    func testOurRecordingsDecodeInFFmpeg() throws {
        let ff = try ffmpeg()
        // Mono: ffmpeg's gray decode must equal what we wrote.
        let mono = scratch.path("ours-mono.y4m")
        XCTAssertEqual(try BinaryRunner.run(["record", BinaryRunner.demo, "-o", mono, "--frames", "5", "--as-fast-as-possible"]).status, 0)
        let decoded = try BinaryRunner.tool(ff, ["-v", "error", "-i", mono, "-f", "rawvideo", "-pix_fmt", "gray", "-"])
        XCTAssertEqual(decoded.status, 0, decoded.stderr)
        let reader = try Y4MReader(path: mono, pacing: false)
        var ours: [UInt8] = []
        while let f = try reader.nextFrame() { ours += f.luma }
        XCTAssertEqual(ours.count, 5 * 320 * 240)
        assertSameBytes([UInt8](decoded.stdout), ours, "mono recording")

        // Colour: ffmpeg's yuv420p decode must equal our planes.
        var src = Array("YUV4MPEG2 W6 H4 F12:1 C444\n".utf8)
        for k in 0..<3 { src += Array("FRAME\n".utf8) + (0..<72).map { UInt8((k * 40 + $0 * 3) & 255) } }
        let input = scratch.write("in444.y4m", src)
        let colour = scratch.path("ours-colour.y4m")
        XCTAssertEqual(try BinaryRunner.run(["record", input, "-o", colour, "--color", "--as-fast-as-possible"]).status, 0)
        let yuv = try BinaryRunner.tool(ff, ["-v", "error", "-i", colour, "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"])
        XCTAssertEqual(yuv.status, 0, yuv.stderr)
        let back = try Y4MReader(path: colour, pacing: false)
        var planes: [UInt8] = []
        while let f = try back.nextFrame() { planes += f.luma + f.chroma!.cb + f.chroma!.cr }
        XCTAssertEqual(planes.count, 3 * (24 + 6 + 6))
        assertSameBytes([UInt8](yuv.stdout), planes, "colour recording")
    }

    func testFilesFFmpegWritesReplayHere() throws {
        let ff = try ffmpeg()
        // Every 8-bit pixel format ffmpeg's yuv4mpeg muxer takes, and the C tag it writes.
        let formats: [(String, [String], String)] = [
            ("gray", [], "mono"),
            ("yuv420p", [], "420jpeg"),
            ("yuv420p", ["-chroma_sample_location", "left"], "420mpeg2"),
            ("yuv420p", ["-chroma_sample_location", "topleft"], "420paldv"),
            ("yuv422p", [], "422"),
            ("yuv444p", [], "444"),
            ("yuv411p", [], "411"),
            ("yuva444p", [], "444alpha"),
        ]
        for (pixFmt, extra, tag) in formats {
            let path = scratch.path("ff-\(pixFmt)-\(tag).y4m")
            let made = try BinaryRunner.tool(ff, ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=0.7",
                                                 "-pix_fmt", pixFmt] + extra + ["-strict", "-1", "-y", path])
            XCTAssertEqual(made.status, 0, "\(pixFmt): \(made.stderr)")
            let reader = try Y4MReader(path: path, pacing: false)
            XCTAssertEqual(reader.header.colourspace.rawValue, tag, pixFmt)
            // Every plane must match ffmpeg's own raw decode of the same file in the
            // same pixel format (no range or colour conversion in between).
            let raw = try BinaryRunner.tool(ff, ["-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", pixFmt, "-"])
            XCTAssertEqual(raw.status, 0, raw.stderr)
            let frameBytes = reader.header.frameBytes
            let rawBytes = [UInt8](raw.stdout)
            var n = 0
            while let f = try reader.nextFrame() {
                XCTAssertEqual(f.width, 64)
                XCTAssertEqual(f.height, 48)
                guard rawBytes.count >= (n + 1) * frameBytes else { break }
                let ffLuma = Array(rawBytes[n * frameBytes ..< n * frameBytes + 64 * 48])
                assertSameBytes(f.luma, ffLuma, "\(tag) frame \(n) luma")
                if let c = f.chroma, tag != "411" {
                    let planeBytes = c.width * c.height
                    let start = n * frameBytes + 64 * 48
                    assertSameBytes(c.cb, Array(rawBytes[start ..< start + planeBytes]), "\(tag) frame \(n) Cb")
                }
                n += 1
            }
            XCTAssertEqual(n, 7, "\(tag): 7 frames")
            XCTAssertEqual(rawBytes.count, 7 * frameBytes, tag)

            let cli = try BinaryRunner.run([path, "--headless", "--as-fast-as-possible"])
            XCTAssertEqual(cli.status, 0, cli.stderr)
            XCTAssertEqual(cli.stdoutLines.count, 7, tag)
        }
    }
}

/// Compares byte arrays and reports the first difference (not megabytes of numbers).
func assertSameBytes(_ a: [UInt8], _ b: [UInt8], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    guard a != b else { return }
    if a.count != b.count {
        XCTFail("\(what): \(a.count) bytes vs \(b.count)", file: file, line: line)
        return
    }
    let i = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }!.offset
    XCTFail("\(what): first difference at byte \(i): \(a[i]) vs \(b[i])", file: file, line: line)
}
