import Foundation
import XCTest

final class DetectCommandTests: XCTestCase {
    let scratch = Scratch()

    func testJSONLinePerImageInThatImagesPixels() throws {
        let pgm = scratch.write("a.pgm", Array("P5\n# grey\n40 30\n255\n".utf8) + [UInt8](repeating: 100, count: 1200))
        let ppm = scratch.write("b.ppm", Array("P3 2 1 255\n255 0 0  0 0 255\n".utf8))
        let r = try BinaryRunner.run(["detect", "--json", pgm, ppm])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdoutLines.count, 2)
        let a = try jsonObject(r.stdoutLines[0])
        XCTAssertEqual(a["file"] as? String, pgm)
        XCTAssertEqual(a["width"] as? Int, 40)
        XCTAssertEqual(a["height"] as? Int, 30)
        XCTAssertNotNil(a["faces"] as? [Any])
        let b = try jsonObject(r.stdoutLines[1])
        XCTAssertEqual(b["width"] as? Int, 2)
        XCTAssertEqual(b["height"] as? Int, 1)
    }

    func testPlainOutput() throws {
        let pgm = scratch.write("a.pgm", Array("P2 3 2 255 1 2 3 4 5 6".utf8))
        let r = try BinaryRunner.run(["detect", pgm])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.hasPrefix("\(pgm): 3x2, "), r.stdout)
    }

    /// Text output gives scores to 4 decimals, like the JSON (issue 20: it printed 8).
    func testPlainOutputScoresHaveFourDecimals() throws {
        let pgm = scratch.write("face.pgm", try Self.demoFirstFrame())
        let r = try BinaryRunner.run(["detect", pgm])
        XCTAssertEqual(r.status, 0, r.stderr)
        let faceLines = r.stdoutLines.filter { $0.hasPrefix("  x=") }
        XCTAssertFalse(faceLines.isEmpty, r.stdout)
        for line in faceLines {
            let score = try XCTUnwrap(line.components(separatedBy: "score=").last)
            XCTAssertEqual(score.count, 6, "0.dddd: \(line)")
        }
    }

    /// The first frame of the bundled demo (the astronaut) as a binary PGM.
    static func demoFirstFrame() throws -> [UInt8] {
        let clip = try XCTUnwrap(FileManager.default.contents(atPath: BinaryRunner.demo))
        let header = clip.prefix { $0 != 0x0A }.count + 1
        let frame = header + "FRAME\n".utf8.count
        return Array("P5\n320 240\n255\n".utf8) + Array(clip[frame..<(frame + 320 * 240)])
    }

    func testBadImagesAreReportedAndTheOthersStillRun() throws {
        let good = scratch.write("good.pgm", Array("P2 1 1 255 7".utf8))
        let bad = scratch.write("bad.pgm", Array("GIF89a".utf8))
        let cut = scratch.write("cut.pgm", Array("P5 4 4 255\n".utf8) + [1, 2])
        let wide = scratch.write("wide.pgm", Array("P5 1 1 65535\n".utf8) + [0, 0])
        let missing = scratch.path("missing.pgm")
        let r = try BinaryRunner.run(["detect", "--json", bad, good, cut, missing, wide])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdoutLines.count, 1)
        XCTAssertEqual(try jsonObject(r.stdoutLines[0])["file"] as? String, good)
        for expected in [
            "rnnpool-cam: \(bad): not a PGM or PPM image (expected P2, P3, P5 or P6 at the start)",
            "rnnpool-cam: \(cut): the file was cut: 2 of 16 raster bytes present",
            "rnnpool-cam: \(missing): no such file",
            "rnnpool-cam: \(wide): maxval 65535 means 16-bit samples; only 8-bit images (maxval up to 255) are supported",
        ] {
            XCTAssertTrue(r.stderr.split(separator: "\n").contains(Substring(expected)), "missing \(expected) in\n\(r.stderr)")
        }
    }
}
