import Foundation
import XCTest

/// What users have, through FFmpeg's libraries (issue 21): photos for `detect`, clips
/// for replay and `record`, and the damaged ones. The clips and photos are made here
/// with the ffmpeg tool from the demo (scripts/setup.sh installs it).
final class MediaCommandTests: XCTestCase {
    let scratch = Scratch()

    private func ffmpeg(_ arguments: [String]) throws {
        guard let ff = BinaryRunner.ffmpeg else {
            XCTFail("ffmpeg is not installed (scripts/setup.sh installs it)")
            throw BinaryRunner.MissingBinary(message: "ffmpeg")
        }
        let r = try BinaryRunner.tool(ff, ["-nostdin", "-y", "-v", "error"] + arguments)
        XCTAssertEqual(r.status, 0, "ffmpeg \(arguments): \(r.stderr)")
    }

    private func clip(_ name: String) throws -> String {
        let out = scratch.path(name)
        let codec = name.hasSuffix(".webm") ? ["-c:v", "libvpx", "-b:v", "1M"] : ["-c:v", "libx264", "-pix_fmt", "yuv420p"]
        try ffmpeg(["-i", BinaryRunner.demo] + codec + [out])
        return out
    }

    /// Each JSON line's faces as [x, y, w, h] rows.
    private func boxes(_ r: BinaryRunner.Result) throws -> [[[Double]]] {
        try r.stdoutLines.map { line in
            let faces = try jsonObject(line)["faces"] as? [[String: Any]] ?? []
            return faces.map { f in ["x", "y", "w", "h"].map { (f[$0] as? NSNumber)?.doubleValue ?? .nan } }
        }
    }

    func testDetectFindsThePGMsFacesInAPNGAndAHighQualityJPEGOfTheFrame() throws {
        for frame in [0, 30] {
            let pgm = scratch.path("f\(frame).pgm"), png = scratch.path("f\(frame).png"), jpg = scratch.path("f\(frame).jpg")
            try ffmpeg(["-i", BinaryRunner.demo, "-vf", "select=eq(n\\,\(frame))", "-frames:v", "1", pgm])
            try ffmpeg(["-i", pgm, png])
            try ffmpeg(["-i", pgm, "-q:v", "2", jpg])
            let r = try BinaryRunner.run(["detect", "--json", pgm, png, jpg])
            XCTAssertEqual(r.status, 0, r.stderr)
            let found = try boxes(r)
            XCTAssertEqual(found.count, 3)
            XCTAssertGreaterThanOrEqual(found[0].count, 1, "no face in frame \(frame)")
            for (k, tolerance) in [(1, 2.0), (2, 4.0)] {
                XCTAssertEqual(found[k].count, found[0].count, r.stdout)
                for (a, b) in zip(found[k], found[0]) {
                    for (u, v) in zip(a, b) { XCTAssertEqual(u, v, accuracy: tolerance, "frame \(frame): \(r.stdout)") }
                }
            }
        }
    }

    /// A phone clip stored sideways (its display matrix turns it upright) shows its face
    /// upright: found where the demo has it.
    func testASidewaysPhoneClipIsTurnedUprightForTheDetector() throws {
        let side = scratch.path("side.mp4"), phone = scratch.path("phone.mp4")
        try ffmpeg(["-i", BinaryRunner.demo, "-vf", "transpose=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", side])
        try ffmpeg(["-i", side, "-c", "copy", "-metadata:s:v:0", "rotate=90", phone])
        let r = try BinaryRunner.run(["detect", "--json", phone, side])
        XCTAssertEqual(r.status, 0, r.stderr)
        let found = try boxes(r)
        XCTAssertEqual(found[0].count, 1, r.stdout)
        for (u, v) in zip(found[0].first ?? [], [93.0, 26, 65, 85]) { XCTAssertEqual(u, v, accuracy: 3, r.stdout) }
        XCTAssertEqual(found[1].count, 0, "the sideways picture itself has no upright face: \(r.stdout)")
    }

    /// A JPEG with an EXIF APP1 segment (big-endian TIFF, one IFD entry: Orientation)
    /// right after its start marker, as a phone writes it.
    private func withEXIFOrientation(_ jpeg: [UInt8], _ value: UInt8) -> [UInt8] {
        let tiff: [UInt8] = Array("MM".utf8) + [0, 42, 0, 0, 0, 8, 0, 1] + [0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, value, 0, 0]
            + [0, 0, 0, 0]
        let app1 = Array("Exif".utf8) + [0, 0] + tiff
        let length = app1.count + 2
        return Array(jpeg.prefix(2)) + [0xff, 0xe1, UInt8(length >> 8), UInt8(length & 255)] + app1 + Array(jpeg.dropFirst(2))
    }

    /// A phone photo stored sideways with EXIF Orientation 6 (turn clockwise to show) is
    /// read upright: its face is found where the demo has it.
    func testAPhotosEXIFOrientationTurnsItUpright() throws {
        let side = scratch.path("side.jpg")
        try ffmpeg(["-i", BinaryRunner.demo, "-frames:v", "1", "-vf", "transpose=2", "-q:v", "2", side])
        let phone = scratch.write("phone.jpg", withEXIFOrientation(scratch.read("side.jpg"), 6))
        let r = try BinaryRunner.run(["detect", "--json", phone, side])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try jsonObject(r.stdoutLines[0])["width"] as? Int, 320)
        let found = try boxes(r)
        XCTAssertEqual(found[0].count, 1, r.stdout)
        for (u, v) in zip(found[0].first ?? [], [92.0, 27, 66, 84]) { XCTAssertEqual(u, v, accuracy: 3, r.stdout) }
        XCTAssertEqual(found[1].count, 0, "the sideways picture itself has no upright face: \(r.stdout)")
    }

    /// A phone's 12 MP photo (and a camera's 24 MP one) is above the 8.3 MP a picture
    /// may take whole: the JPEG is decoded at half its size, and the face is reported in
    /// the photo's own pixels, sideways ones (EXIF Orientation 6) turned upright too.
    func testPhoneAndCameraPhotosAreReadAtAFractionAndReportedInTheirOwnPixels() throws {
        let big = scratch.path("phone.jpg"), dslr = scratch.path("dslr.jpg"), side = scratch.path("side-big.jpg")
        try ffmpeg(["-i", BinaryRunner.demo, "-frames:v", "1", "-vf", "scale=4032:3024", "-q:v", "3", big])
        try ffmpeg(["-i", BinaryRunner.demo, "-frames:v", "1", "-vf", "scale=6000:4500", "-q:v", "5", dslr])
        try ffmpeg(["-i", BinaryRunner.demo, "-frames:v", "1", "-vf", "scale=4032:3024,transpose=2", "-q:v", "3", side])
        let turned = scratch.write("turned.jpg", withEXIFOrientation(scratch.read("side-big.jpg"), 6))
        let r = try BinaryRunner.run(["detect", "--json", big, dslr, turned])
        XCTAssertEqual(r.status, 0, r.stderr)
        let found = try boxes(r)
        // The demo's face at 320x240 is at about (92, 27, 66, 84).
        for (k, (w, h)) in [(4032, 3024), (6000, 4500), (4032, 3024)].enumerated() {
            let o = try jsonObject(r.stdoutLines[k])
            XCTAssertEqual([o["width"] as? Int, o["height"] as? Int], [w, h], r.stdout)
            XCTAssertEqual(found[k].count, 1, r.stdout)
            let s = Double(w) / 320
            for (u, v) in zip(found[k].first ?? [], [92.0, 27, 66, 84]) { XCTAssertEqual(u / s, v, accuracy: 3, r.stdout) }
        }
        // Played as a one-picture source, the JSON line is in the photo's pixels too.
        let live = try BinaryRunner.run([big, "--headless"])
        XCTAssertEqual(live.status, 0, live.stderr)
        let line = try jsonObject(try XCTUnwrap(live.stdoutLines.first))
        XCTAssertEqual([line["width"] as? Int, line["height"] as? Int], [4032, 3024])
        for (u, v) in zip(try boxes(live)[0].first ?? [], [92.0, 27, 66, 84]) { XCTAssertEqual(u / 12.6, v, accuracy: 3, live.stdout) }
    }

    /// An iPhone's HEIC and an AVIF (read by libheif) give the demo's face in detect and
    /// in the headless view.
    func testHEICAndAVIFPhotosShowTheirFace() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/heif-enc") else {
            return XCTFail("heif-enc is not installed (scripts/setup.sh installs libheif-examples)")
        }
        let png = scratch.path("f.png"), heic = scratch.path("f.heic"), avif = scratch.path("f.avif")
        try ffmpeg(["-i", BinaryRunner.demo, "-frames:v", "1", png])
        for (out, extra) in [(heic, [String]()), (avif, ["-A"])] {
            let r = try BinaryRunner.tool("/usr/bin/heif-enc", extra + ["-q", "90", png, "-o", out])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let r = try BinaryRunner.run(["detect", "--json", heic, avif])
        XCTAssertEqual(r.status, 0, r.stderr)
        let live = try BinaryRunner.run([heic, "--headless"])
        XCTAssertEqual(live.status, 0, live.stderr)
        for found in try boxes(r) + boxes(live) {
            XCTAssertEqual(found.count, 1, r.stdout + live.stdout)
            for (u, v) in zip(found.first ?? [], [92.0, 27, 66, 84]) { XCTAssertEqual(u, v, accuracy: 3, r.stdout + live.stdout) }
        }
    }

    func testMP4AndWebMPlayHeadlessAtTheClipsRateWithTheFaceOnEveryFrame() throws {
        for name in ["demo.mp4", "demo.webm"] {
            let path = try clip(name)
            let started = Date()
            let r = try BinaryRunner.run(["--headless", path])
            let seconds = Date().timeIntervalSince(started)
            XCTAssertEqual(r.status, 0, r.stderr)
            let lines = r.stdoutLines
            XCTAssertEqual(lines.count, 60, name)
            for (k, line) in lines.enumerated() {
                let o = try jsonObject(line)
                XCTAssertEqual((o["frame"] as? NSNumber)?.intValue, k)
                XCTAssertEqual((o["timestamp"] as? NSNumber)?.doubleValue ?? -1, Double(k) / 15, accuracy: 0.002)
                XCTAssertGreaterThanOrEqual((o["faces"] as? [Any])?.count ?? 0, 1, "\(name) frame \(k) has no face")
            }
            // Paced at 15 fps: the last frame is 3.93 s after the first.
            XCTAssertGreaterThan(seconds, 3.8, "\(name) was not paced")
        }
    }

    func testLoopAndFramesWorkOnAClip() throws {
        let path = try clip("demo.webm")
        let r = try BinaryRunner.run(["--headless", "--as-fast-as-possible", "--loop", "--frames", "75", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let frames = try r.stdoutLines.map { try jsonObject($0) }
        XCTAssertEqual(frames.count, 75)
        XCTAssertEqual(frames.compactMap { ($0["frame"] as? NSNumber)?.intValue }, Array(0..<75))
        // The second pass goes on in time, with the face found on it too.
        XCTAssertEqual((frames[60]["timestamp"] as? NSNumber)?.doubleValue ?? 0, 4.0, accuracy: 0.002)
        XCTAssertTrue(frames.allSatisfy { (($0["faces"] as? [Any])?.count ?? 0) >= 1 })
    }

    func testRecordingAClipWritesTheFramesItReplays() throws {
        let path = try clip("demo.mp4")
        let recorded = scratch.path("rec.y4m")
        let rec = try BinaryRunner.run(["record", path, "-o", recorded, "--as-fast-as-possible"])
        XCTAssertEqual(rec.status, 0, rec.stderr)
        let fromClip = try BinaryRunner.run(["--headless", "--as-fast-as-possible", path])
        let fromRecording = try BinaryRunner.run(["--headless", "--as-fast-as-possible", recorded])
        XCTAssertEqual(fromClip.status, 0, fromClip.stderr)
        XCTAssertEqual(fromRecording.status, 0, fromRecording.stderr)
        let a = try boxes(fromClip), b = try boxes(fromRecording)
        XCTAssertEqual(a.count, 60)
        XCTAssertEqual(a, b, "the recording does not replay the clip's frames")
    }

    /// A recording plays at its source's rate: from the containers that state none up
    /// front (MPEG-TS: the H.264 stream's own timing; MPEG program streams: MPEG-2's
    /// sequence header; animated PNG: only its pictures' delays) it wrote F30:1, twice the
    /// demo's 15 fps. MP4 and Matroska state it.
    func testARecordingKeepsTheClipsFrameRate() throws {
        for (name, codec) in [("demo.mp4", ["-c:v", "libx264", "-pix_fmt", "yuv420p"]), ("demo.ts", ["-c:v", "libx264", "-pix_fmt", "yuv420p"]),
                              ("demo.mpg", ["-c:v", "mpeg2video"]), ("demo.mkv", ["-c:v", "libvpx"]),
                              ("demo.apng", ["-c:v", "apng", "-f", "apng"])] {
            let path = scratch.path(name), recorded = scratch.path(name + ".y4m")
            try ffmpeg(["-i", BinaryRunner.demo] + codec + [path])
            let rec = try BinaryRunner.run(["record", path, "-o", recorded, "--frames", "3"])
            XCTAssertEqual(rec.status, 0, rec.stderr)
            let header = String(decoding: scratch.read(name + ".y4m").prefix(40), as: UTF8.self)
            XCTAssertTrue(header.hasPrefix("YUV4MPEG2 W320 H240 F15:1 "), "\(name): \(header)")
        }
    }

    func testCutGarbageAndEmptyMediaEndWithOneLineUnder100MB() throws {
        _ = try clip("demo.webm")
        let jpg = scratch.path("f.jpg")
        try ffmpeg(["-i", BinaryRunner.demo, "-frames:v", "1", "-q:v", "2", jpg])
        let whole = scratch.read("demo.webm"), photo = scratch.read("f.jpg")
        var seed: UInt32 = 99
        let noise = (0..<20_000).map { _ -> UInt8 in seed = seed &* 1_103_515_245 &+ 12345; return UInt8(seed >> 24) }
        let cases = [
            scratch.write("cut.webm", Array(whole.prefix(whole.count / 2))),
            scratch.write("cut.jpg", Array(photo.prefix(photo.count / 3))),
            scratch.write("noise.mp4", noise),
            scratch.write("empty.mkv", []),
        ]
        for (k, path) in cases.enumerated() {
            // `detect` reads a clip's first frame, which a clip cut later still has.
            let detect = path.hasSuffix("cut.webm") ? [] : [["detect", path]]
            for command in [["--headless", path], ["record", path, "-o", scratch.path("out\(k).y4m")]] + detect {
                let run = try MeasuredRun.run(command, directory: scratch.directory,
                                              addressSpaceLimitKiB: BinaryRunner.addressSpaceLimitKiB)
                XCTAssertNil(run.signal, "\(command) died by a signal")
                XCTAssertTrue((1...125).contains(run.result.status), "\(command): exit \(run.result.status)")
                let errLines = run.result.stderr.split(separator: "\n")
                XCTAssertTrue(errLines.contains { $0.hasPrefix("rnnpool-cam: \(path): ") }, "\(command): \(run.result.stderr)")
                XCTAssertFalse(run.result.stderr.unicodeScalars.contains { $0.value < 32 && $0 != "\n" })
                XCTAssertLessThan(run.peakResidentBytes, 100 << 20, "\(command)")
            }
        }
    }

    /// A clip through a FIFO plays once with `--loop`, and says why it stopped there.
    func testLoopOnAPipedClipPlaysOnceAndSaysWhy() throws {
        let webm = try clip("demo.webm")
        let fifo = scratch.path("piped.webm")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let writer = try BinaryRunner.launch("/bin/sh", ["-c", "exec cat \"$0\" >\"$1\"", webm, fifo])
        defer { kill(writer.pid, SIGKILL) }
        let r = try BinaryRunner.run([fifo, "--headless", "--as-fast-as-possible", "--loop"])
        XCTAssertEqual(r.stdoutLines.count, 60)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "rnnpool-cam: \(fifo): cannot start over for --loop: it is not a regular file (a pipe?); played 60 frames once\n")
    }

    /// A clip arriving slowly through a FIFO: the reader polls, so SIGINT in the middle
    /// of a read ends the run within 2 s.
    func testSIGINTDuringASlowReadStopsWithinTwoSeconds() throws {
        let webm = try clip("demo.webm")
        let fifo = scratch.path("slow.webm")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // Half the clip, then the writer keeps the FIFO open and silent.
        let writer = try BinaryRunner.launch("/bin/sh", ["-c", "exec >\"$1\"; head -c \(fileSize(webm) / 2) \"$0\"; exec sleep 60",
                                                         webm, fifo])
        defer { kill(writer.pid, SIGKILL) }
        let child = try BinaryRunner.start([fifo, "--headless", "--as-fast-as-possible"])
        XCTAssertTrue(waitUntil { fileSize(child.outPath) > 0 }, "no frame came through the FIFO")
        Thread.sleep(forTimeInterval: 1)   // the half is read: the reader now waits for more
        let sent = Date()
        kill(child.pid, SIGINT)
        XCTAssertTrue(waitUntil(timeout: 10) { !child.process.isRunning }, "still running 10 s after SIGINT")
        if child.process.isRunning { kill(child.pid, SIGKILL) }
        let seconds = Date().timeIntervalSince(sent)
        let r = BinaryRunner.collect(child)
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertLessThan(seconds, 2)
    }
}
