@testable import FrameIO
import Foundation
import XCTest

/// Clips and photos through FFmpeg's libraries (issue 21), on files ffmpeg makes here.
final class MediaReaderTests: XCTestCase {
    let files = TestFiles()

    private func demoFrames() throws -> [Frame] {
        let reader = try Y4MReader(path: MediaClips.demo, pacing: false)
        var frames: [Frame] = []
        while let f = try reader.nextFrame() { frames.append(f) }
        return frames
    }

    private func allFrames(_ path: String) throws -> [Frame] {
        let reader = try MediaReader(path: path, pacing: false)
        var frames: [Frame] = []
        while let f = try reader.nextFrame() { frames.append(f) }
        return frames
    }

    private func meanDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        zip(a, b).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.count)
    }

    func testH264AndVP8ClipsGiveTheDemosFramesAtItsTimes() throws {
        let original = try demoFrames()
        for name in ["demo.mp4", "demo.webm"] {
            let frames = try allFrames(try MediaClips.clip(name, in: files.directory))
            XCTAssertEqual(frames.count, 60, name)
            for (k, f) in frames.enumerated() {
                XCTAssertEqual(f.index, k)
                XCTAssertEqual(f.timestamp, Double(k) / 15, accuracy: 1e-3, name)
                XCTAssertEqual(f.width, 320)
                XCTAssertEqual(f.height, 240)
                // Lossy, but the same picture: the luma is back at full range.
                XCTAssertLessThan(meanDifference(f.luma, original[k].luma), 4, "\(name) frame \(k)")
            }
        }
    }

    func testPhotosReadAsThePictureTheyHold() throws {
        let pgm = files.path("f.pgm"), png = files.path("f.png"), jpg = files.path("f.jpg"), webp = files.path("f.webp")
        // ffmpeg's TIFFs carry a ResolutionUnit tag, as scanners' and cameras' do.
        let tiff = files.path("f.tiff"), lzw = files.path("lzw.tiff")
        try MediaClips.make(["-i", MediaClips.demo, "-frames:v", "1", pgm])
        for out in [png, jpg, webp, tiff] { try MediaClips.make(["-i", pgm, "-q:v", "1"] + (out == webp ? ["-lossless", "1"] : []) + [out]) }
        try MediaClips.make(["-i", pgm, "-compression_algo", "lzw", lzw])
        let reference = try PNMImage.read(path: pgm)
        for (path, exact) in [(png, true), (webp, true), (tiff, true), (lzw, true), (jpg, false)] {
            XCTAssertEqual(PictureFileKind.of(path: path), .media)
            let still = try StillImage.read(path: path)
            XCTAssertEqual([still.width, still.height], [320, 240], path)
            if exact {
                XCTAssertEqual(still.luma, reference.luma, path)
            } else {
                XCTAssertLessThan(meanDifference(still.luma, reference.luma), 1.5, path)
            }
        }
        XCTAssertEqual(PictureFileKind.of(path: pgm), .pnm)
        XCTAssertEqual(PictureFileKind.of(path: MediaClips.demo), .y4m)
    }

    func testCutClipsAndPhotosAreReportedAsCut() throws {
        let mp4 = try MediaClips.clip("demo.mp4", in: files.directory)
        let webm = try MediaClips.clip("demo.webm", in: files.directory)
        let fast = files.path("fast.mp4")
        try MediaClips.make(["-i", mp4, "-c", "copy", "-movflags", "+faststart", fast])
        let jpg = files.path("f.jpg"), tiff = files.path("f.tiff")
        try MediaClips.make(["-i", MediaClips.demo, "-frames:v", "1", "-q:v", "2", jpg])
        try MediaClips.make(["-i", MediaClips.demo, "-frames:v", "1", tiff])
        let cuts = [
            MediaClips.cut(tiff, to: fileSize(tiff) * 3 / 4, as: "cut.tiff", in: files.directory),
            MediaClips.cut(fast, to: fileSize(fast) / 2, as: "cut-fast.mp4", in: files.directory),
            MediaClips.cut(webm, to: fileSize(webm) / 2, as: "cut.webm", in: files.directory),
            MediaClips.cut(jpg, to: fileSize(jpg) / 3, as: "cut.jpg", in: files.directory),
            MediaClips.cut(mp4, to: fileSize(mp4) / 2, as: "cut-index-at-end.mp4", in: files.directory),
        ]
        for path in cuts {
            XCTAssertThrowsError(try allFrames(path), path) { error in
                let e = error as! FrameSourceError
                XCTAssertTrue(e.description.hasPrefix(path + ": "), e.description)
                XCTAssertFalse(e.description.contains("\n"))
                XCTAssertTrue([.truncated, .badMagic].contains(e.kind), e.description)
            }
        }
    }

    /// A soundtrack running on past the pictures is not a cut file.
    func testAClipWhoseSoundOutlastsItsPicturesEndsCleanly() throws {
        let clip = files.path("sound.webm")
        try MediaClips.make(["-i", MediaClips.demo, "-f", "lavfi", "-i", "sine=duration=7", "-c:v", "libvpx",
                             "-c:a", "libopus", clip])
        XCTAssertEqual(try allFrames(clip).count, 60)
    }

    func testGarbageAndEmptyFilesAreRefusedWithAReason() throws {
        var seed: UInt32 = 7
        let noise = (0..<4096).map { _ -> UInt8 in seed = seed &* 1_103_515_245 &+ 12345; return UInt8(seed >> 24) }
        let garbage = files.write("noise.mp4", noise)
        XCTAssertThrowsError(try MediaReader(path: garbage)) {
            XCTAssertEqual(($0 as! FrameSourceError).kind, .badMagic)
            XCTAssertTrue("\($0)".contains("not a video clip or photo"), "\($0)")
        }
        XCTAssertThrowsError(try MediaReader(path: files.write("empty.webm", [UInt8]()))) {
            XCTAssertEqual(($0 as! FrameSourceError).kind, .emptyFile)
        }
        // An audio-only file is a container FFmpeg reads, with no picture in it.
        let wav = files.path("tone.mkv")
        try MediaClips.make(["-f", "lavfi", "-i", "sine=duration=0.2", wav])
        XCTAssertThrowsError(try MediaReader(path: wav)) {
            XCTAssertTrue("\($0)".contains("no picture stream"), "\($0)")
        }
        // A format FFmpeg knows and rnnpool-cam does not read: the line says which it reads.
        let nut = files.path("demo.nut")
        try MediaClips.make(["-i", MediaClips.demo, "-frames:v", "2", nut])
        XCTAssertThrowsError(try MediaReader(path: nut)) {
            XCTAssertEqual(($0 as! FrameSourceError).kind, .badMagic)
            XCTAssertEqual("\($0)", nut + ": not in a format rnnpool-cam reads (" + MediaReader.formatsInWords + ")")
        }
    }

    func testPicturesAboveTheLimitAreRefusedBeforeDecoding() throws {
        let big = files.path("big.mkv")
        try MediaClips.make(["-f", "lavfi", "-i", "color=size=4096x2304:duration=0.04", "-c:v", "ffv1", big])
        XCTAssertThrowsError(try MediaReader(path: big)) {
            XCTAssertEqual(($0 as! FrameSourceError).kind, .tooLarge)
            XCTAssertTrue("\($0)".contains("4096x2304"), "\($0)")
        }
    }

    func testStepBackSeekAndClampToTheLastFrame() throws {
        let clip = try MediaClips.clip("demo.mp4", in: files.directory)
        let sequential = try allFrames(clip)
        let reader = try MediaReader(path: clip, pacing: false)
        XCTAssertTrue(reader.canSeek)
        for _ in 0..<10 { _ = try reader.nextFrame() }
        XCTAssertTrue(reader.seek(fromLastDeliveredBy: -1))   // the one before frame 9
        let back = try XCTUnwrap(reader.nextFrame())
        XCTAssertEqual(back.luma, sequential[8].luma)
        XCTAssertTrue(back.startsNewPass)
        XCTAssertTrue(reader.seek(fromLastDeliveredBy: 0))    // frame 8 again
        XCTAssertEqual(try XCTUnwrap(reader.nextFrame()).luma, sequential[8].luma)
        XCTAssertTrue(reader.seek(fromLastDeliveredBy: 30))   // 30 frames on: frame 38
        XCTAssertEqual(try XCTUnwrap(reader.nextFrame()).luma, sequential[38].luma)
        XCTAssertTrue(reader.seek(fromLastDeliveredBy: 500))  // past the end: the last frame
        XCTAssertEqual(try XCTUnwrap(reader.nextFrame()).luma, sequential[59].luma)
        XCTAssertNil(try reader.nextFrame())
    }

    /// A seek forward skips packets: the end after it is still a clean end, not "cut"
    /// (the MP4 index counts every picture).
    /// MPEG program and transport streams are searched by bytes and timestamps, not key
    /// pictures: their seeks landed a GOP late (the .mpg) or at the end (the .ts, whose
    /// playback then stopped). Each step and seek now lands on its own frame.
    /// MPEG program and transport streams seek by bytes and timestamps (landing a GOP
    /// late, or at the end); raw H.264, HEVC and MJPEG (a Raspberry Pi camera's .h264 or
    /// .mjpeg) cannot seek by time at all: back to the key picture before the target that the reader
    /// has passed, forward by decoding on. Each step lands on its frame, pixel for pixel,
    /// at its time (frame 46 was never played before the seek reached it).
    func testStepsAndSeeksInProgramTransportAndRawStreamsLandOnTheirFrame() throws {
        let clips: [(name: String, codec: [String], fps: Double)] = [
            ("demo.mpg", ["-c:v", "mpeg2video", "-q:v", "2"], 15),
            ("demo.ts", ["-c:v", "libx264", "-pix_fmt", "yuv420p"], 15),
            // A key picture every 12 (with B pictures, x264's default), at FFmpeg's 25 fps.
            ("demo.h264", ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "12"], 25),
            ("demo.hevc", ["-c:v", "libx265", "-pix_fmt", "yuv420p", "-x265-params", "keyint=12:min-keyint=12:log-level=none"], 25),
            // JPEGs one after another (a camera's raw MJPEG): FFmpeg's seek by time left it at the end.
            ("demo.mjpeg", ["-c:v", "mjpeg", "-q:v", "3", "-f", "mjpeg"], 25),
        ]
        for (name, codec, fps) in clips {
            let clip = files.path(name)
            try MediaClips.make(["-i", MediaClips.demo] + codec + [clip])
            let sequential = try allFrames(clip)
            let reader = try MediaReader(path: clip, pacing: false)
            for _ in 0..<30 { _ = try reader.nextFrame() }
            var at = 29
            for step in [-1, -5, 3, -20, 40, -2, -44] {
                XCTAssertTrue(reader.seek(fromLastDeliveredBy: step), "\(name) \(step)")
                at += step
                let f = try XCTUnwrap(reader.nextFrame(), "\(name) \(step)")
                XCTAssertEqual(f.timestamp, Double(at) / fps, accuracy: 1e-3, "\(name): step \(step)")
                XCTAssertTrue(f.luma == sequential[at].luma, "\(name): step \(step) to frame \(at)")
            }
            // And plays on from there to the end, every frame in order.
            var rest: [Frame] = []
            while let f = try reader.nextFrame() { rest.append(f) }
            XCTAssertEqual(rest.count, sequential.count - at - 1, name)
            XCTAssertTrue(rest.map(\.luma) == sequential[(at + 1)...].map(\.luma), "\(name): frames after \(at)")
        }
    }

    func testTheEndAfterASeekForwardIsClean() throws {
        let clip = try MediaClips.clip("demo.mp4", in: files.directory)
        let reader = try MediaReader(path: clip, pacing: false)
        _ = try reader.nextFrame()
        XCTAssertTrue(reader.seek(fromLastDeliveredBy: 40))
        var n = 0
        while try reader.nextFrame() != nil { n += 1 }
        XCTAssertEqual(n, 20)   // frames 40 to 59
    }

    /// Containers that state no streams (or no clock) up front: an MPEG program stream
    /// (.mpg, .vob) and FLV announce each stream with its first packet, raw H.264 (a
    /// Raspberry Pi camera's .h264) has no container, DV sets its clock with its first
    /// frame, an MPEG-TS states no start time. Each plays the demo's 60 pictures at steady times and loops from its very
    /// first picture (an MPEG program stream's seek by time lands near its second key
    /// picture; raw H.264 cannot seek by time).
    func testProgramStreamsTSFLVRawH264AndDVPlayAndLoopFromTheStart() throws {
        let original = try demoFrames()
        let clips: [(name: String, args: [String], frames: Int, step: Double)] = [
            ("demo.mpg", ["-c:v", "mpeg2video", "-q:v", "2"], 60, 1.0 / 15),
            ("demo.ts", ["-c:v", "libx264", "-pix_fmt", "yuv420p"], 60, 1.0 / 15),   // states no start (its first is 1.4 s)
            ("demo.flv", ["-c:v", "flv1", "-q:v", "2"], 60, 1.0 / 15),
            ("demo.h264", ["-c:v", "libx264", "-pix_fmt", "yuv420p"], 60, 1.0 / 25),   // no clock: FFmpeg's 25 fps
            ("demo.dv", ["-vf", "scale=720:480", "-r", "30000/1001", "-c:v", "dvvideo", "-pix_fmt", "yuv411p"], 0, 1001.0 / 30000),
        ]
        for clip in clips {
            let path = files.path(clip.name)
            try MediaClips.make(["-i", MediaClips.demo] + clip.args + [path])
            let once = try allFrames(path)
            XCTAssertEqual(once.first?.timestamp, 0, "\(clip.name): time starts at its first picture")
            if clip.frames > 0 {
                XCTAssertEqual(once.count, clip.frames, clip.name)
                for (k, f) in once.enumerated() {
                    XCTAssertLessThan(meanDifference(f.luma, original[k].luma), 4, "\(clip.name) frame \(k)")
                }
            } else {
                XCTAssertGreaterThan(once.count, 100, clip.name)   // 4 s at 29.97 fps
            }
            let reader = try MediaReader(path: path, pacing: false, loop: true)
            var frames: [Frame] = []
            for _ in 0..<(once.count + 5) { frames.append(try XCTUnwrap(reader.nextFrame(), clip.name)) }
            XCTAssertEqual(frames.filter(\.startsNewPass).map(\.index), [once.count], clip.name)
            XCTAssertEqual(frames[once.count].luma, frames[0].luma, "\(clip.name): the second pass starts at the first picture")
            for (a, b) in zip(frames, frames.dropFirst()) {
                XCTAssertEqual(b.timestamp - a.timestamp, clip.step, accuracy: 2e-3, "\(clip.name) frame \(b.index)")
            }
        }
    }

    func testLoopStartsOverWithANewPassAndTimeGoingOn() throws {
        let clip = try MediaClips.clip("demo.webm", in: files.directory)
        let reader = try MediaReader(path: clip, pacing: false, loop: true)
        var frames: [Frame] = []
        for _ in 0..<70 { frames.append(try XCTUnwrap(reader.nextFrame())) }
        XCTAssertEqual(frames.filter(\.startsNewPass).map(\.index), [60])
        XCTAssertEqual(frames[60].luma, frames[0].luma)
        XCTAssertEqual(frames[60].timestamp, 4.0, accuracy: 1e-3)
        XCTAssertEqual(frames.map(\.index), Array(0..<70))
    }

    func testReplayIsPacedByTheClipsTimestamps() throws {
        let clip = try MediaClips.clip("demo.webm", in: files.directory)
        let reader = try MediaReader(path: clip)
        let started = MonotonicClock.now()
        for _ in 0..<16 { _ = try XCTUnwrap(reader.nextFrame()) }
        // Frame 15 is stamped 1 s after frame 0: it cannot come sooner.
        XCTAssertGreaterThanOrEqual(MonotonicClock.now() - started, 0.98)
    }

    /// A .y4m arriving where its name cannot be seen (`cat demo.y4m | rnnpool-cam
    /// /dev/stdin`) goes to FFmpeg, which reads it too: the same pictures as ours.
    func testFFmpegReadsAY4MAsOurReaderDoes() throws {
        let ours = try demoFrames()
        let theirs = try allFrames(MediaClips.demo)
        XCTAssertEqual(theirs.map(\.luma), ours.map(\.luma))
    }

    /// A phone clip stored sideways with a display matrix is shown upright, turned the
    /// way ffmpeg turns it: the same picture as ffmpeg's own decode, the demo's face back
    /// where it was.
    func testAClipStoredSidewaysIsTurnedByItsDisplayMatrix() throws {
        let side = files.path("side.mp4"), phone = files.path("phone.mp4"), shown = files.path("shown.pgm")
        try MediaClips.make(["-i", MediaClips.demo, "-vf", "transpose=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", side])
        try MediaClips.make(["-i", side, "-c", "copy", "-metadata:s:v:0", "rotate=90", phone])
        try MediaClips.make(["-i", phone, "-frames:v", "1", "-pix_fmt", "gray", shown])
        let reader = try MediaReader(path: phone, pacing: false)
        XCTAssertEqual(reader.turn, .counterclockwise)
        XCTAssertEqual(reader.announcedSize.width, 320)
        let first = try XCTUnwrap(reader.nextFrame())
        let ffmpegs = try PNMImage.read(path: shown)
        XCTAssertEqual([first.width, first.height], [320, 240])
        XCTAssertEqual(first.luma, ffmpegs.luma)
        XCTAssertLessThan(meanDifference(first.luma, try demoFrames()[0].luma), 4)
        let chroma = try XCTUnwrap(first.chroma)
        XCTAssertEqual([chroma.width, chroma.height], [160, 120])
    }

    func testQuarterTurnsMoveEveryPixelWhereItBelongs() {
        // 3x2:  a b c      clockwise: d a     counterclockwise: c f     half: f e d
        //       d e f                 e b                        b e           c b a
        //                             f c                        a d
        let plane: [UInt8] = [1, 2, 3, 4, 5, 6]
        XCTAssertEqual(QuarterTurn.clockwise.apply(plane, width: 3, height: 2).bytes, [4, 1, 5, 2, 6, 3])
        XCTAssertEqual(QuarterTurn.counterclockwise.apply(plane, width: 3, height: 2).bytes, [3, 6, 2, 5, 1, 4])
        XCTAssertEqual(QuarterTurn.half.apply(plane, width: 3, height: 2).bytes, [6, 5, 4, 3, 2, 1])
        XCTAssertEqual(QuarterTurn(displayRotation: 90), .counterclockwise)
        XCTAssertEqual(QuarterTurn(displayRotation: -90), .clockwise)
        XCTAssertEqual(QuarterTurn(displayRotation: 180), .half)
        XCTAssertEqual(QuarterTurn(displayRotation: .nan), .none)
    }

    func testEXIFOrientationsMirrorThenTurn() {
        // 2x2:  1 2   mirrored: 2 1   EXIF 5 (transposed): 1 3   EXIF 7 (transversed): 4 2
        //       3 4             4 3                        2 4                         3 1
        let frame = Frame(width: 2, height: 2, luma: [1, 2, 3, 4], timestamp: 0, index: 0)
        XCTAssertEqual(PictureOrientation(exif: 2).apply(frame).luma, [2, 1, 4, 3])
        XCTAssertEqual(PictureOrientation(exif: 4).apply(frame).luma, [3, 4, 1, 2])
        XCTAssertEqual(PictureOrientation(exif: 5).apply(frame).luma, [1, 3, 2, 4])
        XCTAssertEqual(PictureOrientation(exif: 7).apply(frame).luma, [4, 2, 3, 1])
        XCTAssertEqual(PictureOrientation(exif: 1), PictureOrientation())
        XCTAssertEqual(PictureOrientation(exif: 99), PictureOrientation())
        let wide = Frame(width: 3, height: 1, luma: [1, 2, 3], timestamp: 0, index: 0)
        let shown = PictureOrientation(exif: 6).apply(wide)
        XCTAssertEqual([shown.width, shown.height], [1, 3])
    }

    /// Odd and tiny sizes, gray and colour: swscale writes into FFmpeg's padded planes
    /// and the rows come out packed, each pixel what ffmpeg's own gray conversion gives.
    func testOddSizedPicturesConvertRowForRow() throws {
        for (w, h, colour) in [(1, 3, true), (3, 5, false), (33, 7, true), (17, 2, false)] {
            let clip = files.path("odd-\(w)x\(h).mkv"), gray = files.path("odd-\(w)x\(h).gray")
            try MediaClips.make(["-f", "lavfi", "-i", "testsrc=size=\(w)x\(h):rate=5:duration=0.4",
                                 "-pix_fmt", colour ? "yuv444p" : "gray", "-c:v", "ffv1", clip])
            try MediaClips.make(["-i", clip, "-f", "rawvideo", "-pix_fmt", "gray", gray])
            let frames = try allFrames(clip)
            XCTAssertEqual(frames.count, 2)
            XCTAssertEqual(frames.flatMap(\.luma), files.read(gray), "\(w)x\(h)")
            XCTAssertEqual(frames[0].chroma.map { [$0.width, $0.height] }, colour ? [(w + 1) / 2, (h + 1) / 2] : nil)
        }
    }

    func testAClipInMemoryReadsLikeTheFile() throws {
        let clip = try MediaClips.clip("demo.webm", in: files.directory)
        let reader = try MediaReader(memory: files.read(clip), name: "memory.webm")
        var n = 0
        while try reader.nextFrame() != nil { n += 1 }
        XCTAssertEqual(n, 60)
    }

    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
    }
}
