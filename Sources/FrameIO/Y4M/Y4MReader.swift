#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replays a YUV4MPEG2 (.y4m) file: every 8-bit colourspace ffmpeg writes, paced at the
/// file's frame rate unless told otherwise, optionally looping. A file cut in the middle
/// of a frame plays its whole frames, then `nextFrame` throws a `.truncated` error.
public final class Y4MReader: SeekableFrameSource {
    public let path: String
    public let header: Y4MHeader
    public let label: String
    public var nominalFPS: Double? { header.fps }

    private var file: UnsafeMutablePointer<FILE>?
    private let dataStart: Int
    private let pacing: Bool
    private let loop: Bool
    private var pacer: FramePacer
    /// Frames delivered so far (across loops): the next frame's index.
    private var delivered = 0
    /// Frames read in the current pass over the file.
    private var framesThisPass = 0
    private var finished = false
    /// File offset of each FRAME line of the file met so far (frame k of a pass at
    /// `frameOffsets[k]`): where seeking goes back to, and forward from.
    private var frameOffsets: [Int] = []
    /// The next frame follows a seek: it starts a new pass for the tracker.
    private var afterSeek = false
    /// One frame's bytes, handed to the frame it becomes (readPayload).
    private var payload: [UInt8] = []

    public convenience init(path: String, pacing: Bool = true, loop: Bool = false) throws {
        try self.init(file: try openForReading(path, expecting: "a .y4m file"), path: path, pacing: pacing, loop: loop)
    }

    /// Reads from an open stream (closed on failure and by `close()`); `path` names it
    /// in errors. The fuzz target feeds it memory through fmemopen.
    init(file f: UnsafeMutablePointer<FILE>, path: String, pacing: Bool, loop: Bool) throws {
        self.path = path
        var headerLine: [UInt8] = []
        var sawNewline = false
        while headerLine.count < 4096 {
            let c = getc(f)
            if c == EOF { break }
            if c == 10 { sawNewline = true; break }
            headerLine.append(UInt8(c))
        }
        if headerLine.isEmpty && !sawNewline {
            fclose(f)
            throw FrameSourceError(.emptyFile, path: path, "empty file (0 bytes), not a YUV4MPEG2 video")
        }
        let magic = Array(Y4MHeader.magic.utf8)
        if !headerLine.starts(with: magic) || (headerLine.count > magic.count && headerLine[magic.count] != 32) {
            fclose(f)
            throw FrameSourceError(.badMagic, path: path, "not a YUV4MPEG2 file (it does not start with \"YUV4MPEG2 \")")
        }
        if !sawNewline {
            fclose(f)
            throw FrameSourceError(.badHeader, path: path, "the YUV4MPEG2 header line never ends (no newline in the first 4096 bytes)")
        }
        let parsed: Y4MHeader
        do {
            parsed = try Y4MHeader.parse(String(decoding: headerLine, as: UTF8.self), path: path)
        } catch {
            fclose(f)
            throw error
        }
        header = parsed
        file = f
        dataStart = ftell(f)
        self.pacing = pacing
        self.loop = loop
        pacer = FramePacer(fps: parsed.fps)
        label = "\(fileName(of: path)) \(parsed.width)x\(parsed.height) \(parsed.colourspace.rawValue)"
    }

    deinit { close() }

    public func close() {
        if let f = file { fclose(f) }
        file = nil
    }

    public func nextFrame() throws -> Frame? {
        guard !finished, let f = file else { return nil }
        noteFrameOffset(f)
        if try !readFrameLine(f) {
            // Clean end of the file: start over when looping (if there is anything to loop).
            guard loop && framesThisPass > 0 else {
                finished = true
                return nil
            }
            guard fseek(f, dataStart, SEEK_SET) == 0 else {
                finished = true
                throw FrameSourceError.cannotLoopPipe(path: path, played: framesThisPass)
            }
            framesThisPass = 0
            noteFrameOffset(f)
            if try !readFrameLine(f) {
                finished = true
                return nil
            }
        }
        let got = readPayload(f)
        if got < header.frameBytes {
            finished = true
            throw FrameSourceError(.truncated, path: path,
                "the file was cut: frame \(framesThisPass + 1) has \(got) of \(header.frameBytes) bytes; played \(framesThisPass) whole frames")
        }
        // A stop requested while waiting for the frame's time ends the replay here.
        if pacing && !pacer.waitForNextFrame() { return nil }
        var frame = makeFrame()
        frame.startsNewPass = (framesThisPass == 0 && delivered > 0) || afterSeek
        afterSeek = false
        delivered += 1
        framesThisPass += 1
        return frame
    }

    /// Reads the next frame's bytes into `payload`. Returns how many bytes were read.
    ///
    /// The frame is allocated once, at its size (at most `Y4MHeader.maxFrameBytes`),
    /// and never touched beyond what arrives: memory pages become resident only as the
    /// bytes come in, so a header promising more than a pipe delivers costs only what
    /// was delivered. From a regular file a cut last frame is reported without reading it.
    private func readPayload(_ f: UnsafeMutablePointer<FILE>) -> Int {
        let total = header.frameBytes
        if let left = bytesLeftInRegularFile(f), left < total { return left }
        payload = [UInt8](unsafeUninitializedCapacity: total) { buf, count in
            var got = 0
            while got < total {
                let n = fread(buf.baseAddress! + got, 1, total - got, f)
                if n == 0 { break }
                got += n
            }
            count = got
        }
        return payload.count
    }

    /// Where frame `framesThisPass` starts, remembered the first time it is reached.
    private func noteFrameOffset(_ f: UnsafeMutablePointer<FILE>) {
        if framesThisPass == frameOffsets.count, framesThisPass < Y4MReader.maxIndexedFrames {
            frameOffsets.append(ftello(f))
        }
    }

    /// Offsets kept for seeking: 8 bytes a frame, an hour at 60 fps in under 2 MB.
    static let maxIndexedFrames = 1 << 18

    public var canSeek: Bool { file.map { bytesLeftInRegularFile($0) != nil } ?? false }

    public func seek(fromLastDeliveredBy frames: Int) -> Bool {
        guard let f = file, !finished, bytesLeftInRegularFile(f) != nil, framesThisPass > 0 else { return false }
        let target = max(0, framesThisPass - 1 + frames)
        // The offset noted last may be the end of the file or a frame cut short.
        while frameOffsets.count > 1, let last = frameOffsets.last, wholeFrame(f, at: last) == nil {
            frameOffsets.removeLast()
        }
        // Forward past the frames met so far: FRAME line by FRAME line, skipping the
        // pixels, up to the target or the last whole frame; each line read once.
        var pixels = frameOffsets.last.flatMap { wholeFrame(f, at: $0) }
        while target >= frameOffsets.count, frameOffsets.count < Y4MReader.maxIndexedFrames, let p = pixels {
            let next = p + header.frameBytes
            guard let q = wholeFrame(f, at: next) else { break }
            frameOffsets.append(next)
            pixels = q
        }
        let landing = min(target, frameOffsets.count - 1)
        guard fseeko(f, off_t(frameOffsets[landing]), SEEK_SET) == 0 else { return false }
        framesThisPass = landing
        afterSeek = true
        pacer = FramePacer(fps: header.fps)
        return true
    }

    /// Where the pixels start of the frame whose FRAME line is at `offset`, when that
    /// line and the whole frame are there; nil otherwise.
    private func wholeFrame(_ f: UnsafeMutablePointer<FILE>, at offset: Int) -> Int? {
        guard fseeko(f, off_t(offset), SEEK_SET) == 0, (try? readFrameLine(f)) == true,
              let left = bytesLeftInRegularFile(f), left >= header.frameBytes else {
            finished = false   // readFrameLine marks a bad line as the end; not here
            return nil
        }
        return Int(ftello(f))
    }

    /// Bytes from the read position to the end, when `f` is a regular file.
    private func bytesLeftInRegularFile(_ f: UnsafeMutablePointer<FILE>) -> Int? {
        var st = stat()
        guard fstat(fileno(f), &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        let at = ftello(f)
        guard at >= 0 else { return nil }
        return max(0, Int(st.st_size) - Int(at))
    }

    /// Reads one `FRAME[ params]\n` line. Returns false at a clean end of file.
    private func readFrameLine(_ f: UnsafeMutablePointer<FILE>) throws -> Bool {
        var line: [UInt8] = []
        while true {
            let c = getc(f)
            if c == EOF {
                if line.isEmpty { return false }
                finished = true
                throw FrameSourceError(.truncated, path: path,
                    "the file was cut in the middle of frame \(framesThisPass + 1)'s FRAME line; played \(framesThisPass) whole frames")
            }
            if c == 10 { break }
            // FRAME parameters (ignored here) may be any length: only the start is kept
            // for the tag check, the rest of the line is read past, never as pixels.
            if line.count < 64 { line.append(UInt8(c)) }
        }
        let tag = Array("FRAME".utf8)
        guard line.starts(with: tag), line.count == tag.count || line[tag.count] == 32 else {
            finished = true
            throw FrameSourceError(.badHeader, path: path,
                "expected a FRAME line before frame \(framesThisPass + 1) but found other bytes; played \(framesThisPass) whole frames")
        }
        return true
    }

    /// The frame, its luma plane the payload buffer itself (the chroma planes are
    /// copied out first and the buffer cut to the luma): a big frame is never held
    /// twice. The next frame reads into a new buffer.
    private func makeFrame() -> Frame {
        let w = header.width, h = header.height
        let lumaCount = w * h
        defer { payload = [] }
        var chroma: ChromaPlanes?
        if let stored = header.colourspace.storedChromaSize(width: w, height: h),
           let sub = header.colourspace.frameSubsampling {
            let n = stored.width * stored.height
            var cb = Array(payload[lumaCount..<lumaCount + n])
            var cr = Array(payload[lumaCount + n..<lumaCount + 2 * n])
            var cw = stored.width
            if header.colourspace == .c411 {
                let target = sub.planeSize(width: w, height: h)
                cb = ChromaResampling.widen411(cb, storedWidth: stored.width, width: target.width, height: h)
                cr = ChromaResampling.widen411(cr, storedWidth: stored.width, width: target.width, height: h)
                cw = target.width
            }
            chroma = ChromaPlanes(subsampling: sub, width: cw, height: stored.height, cb: cb, cr: cr)
        }
        payload.removeSubrange(lumaCount...)
        let luma = payload
        return Frame(width: w, height: h, luma: luma, chroma: chroma,
                     timestamp: Double(delivered) / header.fps, index: delivered)
    }
}
