import CFFmpeg
import CFFmpegLoader
import InputSafety

/// Replays a video clip (MP4, MKV, WebM, MOV, AVI…) or reads a photo (JPEG, PNG, WebP,
/// BMP, TIFF, GIF…) through FFmpeg's libraries: the picture stream decoded, each
/// picture converted to 8-bit luma (and 4:2:0 chroma for a colour source, so that
/// `record --color` keeps it), paced by the stream's own timestamps unless told
/// otherwise, optionally looping, seekable in a regular file.
///
/// Hostile files are the normal case: only the named file is ever read (our own reads,
/// no FFmpeg protocols, a list of container formats), probing is bounded, the picture
/// size is checked before decoding and the decoder refuses larger ones itself, and a
/// stream that keeps failing is given up on. Every refusal is a `FrameSourceError`
/// naming the file.
public final class MediaReader: SeekableFrameSource {
    public let path: String
    public private(set) var label: String
    public private(set) var nominalFPS: Double?
    /// Width and height the stream's header announces (0 when it does not say).
    public private(set) var announcedSize = (width: 0, height: 0)

    /// Container formats read (FFmpeg's demuxer names). Playlists, concatenation lists
    /// and raw protocols are not among them: nothing here reads another file.
    static let formats = "mov,matroska,avi,mpegts,mpeg,flv,ogg,asf,dv,h264,hevc,apng,gif,png_pipe,jpeg_pipe,webp_pipe,bmp_pipe,tiff_pipe,qoi_pipe,pgm_pipe,ppm_pipe,pbm_pipe,pam_pipe,yuv4mpegpipe"

    /// `formats` as a user knows them.
    static let formatsInWords = "clips: MP4, MOV, MKV, WebM, AVI, MPEG, TS, FLV, Ogg, WMV, DV, raw H.264, HEVC or MJPEG, GIF, "
        + "animated PNG; photos: JPEG, HEIC, AVIF, PNG, WebP, BMP, TIFF, QOI, PNM"

    private let bytes: MediaByteSource
    private let pacing: Bool
    private let loop: Bool
    private var io: UnsafeMutablePointer<AVIOContext>?
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var decoder: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var picture: UnsafeMutablePointer<AVFrame>?
    /// The last picture skipped on the way to a seek's target: shown if the clip ends first.
    private var skipped: UnsafeMutablePointer<AVFrame>?
    private var converter: PictureConverter?
    private var streamIndex: Int32 = -1
    /// A JPEG photo's own size where it is decoded smaller (`reduceLargeJPEG`).
    private var fullSize: (width: Int, height: Int)?
    /// Packets read while looking for the picture stream in a file whose streams appear
    /// only with their packets (`findPictureStream`): the decoder gets these first.
    private var heldBack: [UnsafeMutablePointer<AVPacket>?] = []
    /// How the stream's display matrix says its pictures are shown (a phone clip stored
    /// sideways): each frame is turned so, as ffmpeg's player does. A photo's own EXIF
    /// Orientation (`pictureOrientation`) takes its place where the picture has one.
    public private(set) var turn = QuarterTurn.none
    /// Seconds a tick of the picture stream's timestamps, and its nominal rate: read
    /// again with the first picture, as some demuxers (DV) set them only with their
    /// first packet.
    private var timeBase = 0.0
    /// The stream's first timestamp, time 0 of its frames: the stream's stated start,
    /// else (an MPEG-TS states none without a search through it) its first picture's.
    private var startStamp: Int64 = 0
    private var startKnown = false

    private var pacer = TimestampPacer()
    /// Frames delivered so far (across loops and seeks): the next frame's index.
    private var delivered = 0
    /// Picture packets read and pictures delivered in the current pass.
    private var packetsThisPass = 0
    private var framesThisPass = 0
    /// Stream time (seconds) of the last picture delivered, and where this pass's
    /// times start on the frames' own clock (the frames keep counting up across loops).
    private var lastMediaTime: Double?
    private var passOffset = 0.0
    private var draining = false
    private var finished = false
    /// Why the demuxer stopped before a clean end, reported once the decoder is drained.
    private var readFailure: Int32?
    private var failuresInRow = 0
    private var packetsWithoutPicture = 0
    private var lastDecodeFailure: Int32 = 0
    /// After a seek: pictures stamped before this time are decoded and skipped.
    private var seekTarget: Double?
    /// Seconds before `seekTarget` the demuxer was last sent to: 0 for the seek itself,
    /// more each time it lands past the target or at the end (`seekEarlier`).
    private var seekMargin = 0.0
    private var newPass = false
    /// A seek in this pass skipped or repeated packets: the index's count says nothing.
    private var seekedThisPass = false
    /// The demuxer has no index and no clock to seek by (`seeksByKeyPictures`): its
    /// frames' times are counted, and a seek goes to a key picture in `keyPictures`.
    private var countsPictures = false
    private var keyPictures = KeyPictureIndex()
    /// Where frames are counted: the next picture's time; nil after a seek back until a
    /// key picture of `keyPictures` comes out (the pictures before it are not shown).
    private var countedTime: Double? = 0
    /// The time of the picture held in `skipped`.
    private var skippedTime = 0.0

    public convenience init(path: String, pacing: Bool = true, loop: Bool = false) throws {
        try self.init(bytes: try MediaByteSource(path: path), path: path, pacing: pacing, loop: loop)
    }

    /// A clip or photo held in memory (the fuzz target); `name` stands for the path.
    public convenience init(memory: [UInt8], name: String) throws {
        try self.init(bytes: MediaByteSource(memory: memory), path: name, pacing: false, loop: false)
    }

    private init(bytes: MediaByteSource, path: String, pacing: Bool, loop: Bool) throws {
        self.bytes = bytes
        self.path = path
        self.pacing = pacing
        self.loop = loop
        label = fileName(of: path)
        do {
            try open()
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    public func close() {
        converter = nil
        av_frame_free(&picture)
        av_frame_free(&skipped)
        av_packet_free(&packet)
        dropHeldBack()
        avcodec_free_context(&decoder)
        avformat_close_input(&format)
        MediaByteSource.freeIOContext(&io)
        bytes.close()
        finished = true
    }

    // MARK: Opening

    private func fail(_ kind: FrameSourceError.Kind, _ problem: String) -> FrameSourceError {
        FrameSourceError(kind, path: path, problem)
    }

    private func open() throws {
        guard rc_ffmpeg_load() != 0 else {
            throw fail(.unreadable, "cannot read clips or photos: FFmpeg's libraries did not load (\(String(cString: rc_ffmpeg_load_error()))); "
                       + "on Debian: apt-get install libavformat59 libavcodec59 libswscale6")
        }
        _ = silenceFFmpeg
        // Each kept as soon as it exists, so that `close` frees whatever was made when a
        // later one cannot be.
        io = bytes.makeIOContext()
        packet = av_packet_alloc()
        picture = av_frame_alloc()
        skipped = av_frame_alloc()
        converter = PictureConverter()
        guard let io, packet != nil, picture != nil, skipped != nil, converter != nil,
              let ctx = avformat_alloc_context() else {
            throw fail(.unreadable, "out of memory while opening it")
        }
        ctx.pointee.pb = io
        ctx.pointee.format_whitelist = av_strdup(MediaReader.formats)
        ctx.pointee.probesize = MediaLimits.probeBytes
        ctx.pointee.max_analyze_duration = MediaLimits.analyzeMicroseconds
        ctx.pointee.interrupt_callback.callback = { _ in StopRequest.isRequested ? 1 : 0 }
        // No demuxer may open anything beside the file (a clip's external references).
        ctx.pointee.io_open = { _, _, _, _, _ in rc_averror(EPERM) }
        var opened: UnsafeMutablePointer<AVFormatContext>? = ctx
        // No file name: formats are told apart by content alone (a name would let the
        // image2 demuxer, which opens files by name, claim a photo by its extension).
        let status = avformat_open_input(&opened, "", nil, nil)   // frees ctx on failure
        guard status >= 0, let fmt = opened else {
            if StopRequest.isRequested { throw fail(.unreadable, "stopped while reading it") }
            let empty = bytes.seek(to: 0, whence: rc_avseek_size) == 0
            // EINVAL: FFmpeg knows the format, and it is not among `formats`.
            let problem = empty ? "empty file (0 bytes), not a video or image"
                : status == rc_averror(EINVAL) ? "not in a format rnnpool-cam reads (\(MediaReader.formatsInWords))"
                : "not a video clip or photo rnnpool-cam can read (FFmpeg: \(ffmpegErrorText(status)))"
            throw fail(empty ? .emptyFile : .badMagic, problem)
        }
        format = fmt
        countsPictures = MediaReader.seeksByKeyPictures.contains(demuxerName)
        var codec: UnsafePointer<AVCodec>?
        let index = try findPictureStream(fmt, &codec)
        guard index >= 0, let codec, let stream = fmt.pointee.streams[Int(index)] else {
            throw fail(.badHeader, index == rc_averror_decoder_not_found
                       ? "its picture stream is in a format FFmpeg has no decoder for"
                       : "it holds no picture stream (\(fmt.pointee.nb_streams) stream\(fmt.pointee.nb_streams == 1 ? "" : "s"), none of them video)")
        }
        streamIndex = index
        let par = stream.pointee.codecpar!
        announcedSize = (Int(par.pointee.width), Int(par.pointee.height))
        if par.pointee.width != 0 || par.pointee.height != 0,
           let why = MediaLimits.refusal(width: Int(par.pointee.width), height: Int(par.pointee.height)) {
            throw fail(.tooLarge, why)
        }
        guard let dec = avcodec_alloc_context3(codec) else { throw fail(.unreadable, "out of memory while opening it") }
        decoder = dec
        guard avcodec_parameters_to_context(dec, par) >= 0 else { throw fail(.badHeader, "its picture stream's parameters are damaged") }
        dec.pointee.max_pixels = Int64(MediaLimits.maxPixels)
        try reduceLargeJPEG(fmt, decoder: dec)
        dec.pointee.thread_count = 1   // one picture in flight: bounded memory
        // A damaged picture is an error, not a picture patched up by concealment: a cut
        // photo must say so instead of giving faces found in its grey filler. Not for
        // TIFF: its strict mode refuses every tag the decoder does not use (ResolutionUnit,
        // in nearly every scanner's and camera's TIFF; JPEGTables), and it refuses a cut
        // file anyway (strips or directory beyond the end).
        if par.pointee.codec_id != AV_CODEC_ID_TIFF { dec.pointee.err_recognition |= AV_EF_EXPLODE }
        let opened2 = avcodec_open2(dec, codec, nil)
        guard opened2 >= 0 else {
            throw fail(.badHeader, "cannot start its \(String(cString: avcodec_get_name(par.pointee.codec_id))) decoder (\(ffmpegErrorText(opened2)))")
        }
        readClock(of: stream)
        startKnown = stream.pointee.start_time != rc_av_nopts_value
        startStamp = startKnown ? stream.pointee.start_time : 0
        var matrixBytes = 0
        if let matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &matrixBytes), matrixBytes >= 36 {
            turn = matrix.withMemoryRebound(to: Int32.self, capacity: 9) { QuarterTurn(displayRotation: av_display_rotation_get($0)) }
        }
        if turn.swapsSides { announcedSize = (announcedSize.height, announcedSize.width) }
        let codecName = String(cString: avcodec_get_name(par.pointee.codec_id))
        label = announcedSize.width > 0
            ? "\(fileName(of: path)) \(announcedSize.width)x\(announcedSize.height) \(codecName)"
            : "\(fileName(of: path)) \(codecName)"
    }

    /// The best picture stream's index (or FFmpeg's error) and its decoder. MPEG program
    /// streams (.mpg, .vob) and FLV announce no streams in a header: each appears with
    /// its first packet, so up to `MediaLimits.packetsBeforePictureStream` packets (and
    /// the probe's bytes) are read and held back for the decoder until one is a picture's.
    private func findPictureStream(_ fmt: UnsafeMutablePointer<AVFormatContext>,
                                   _ codec: inout UnsafePointer<AVCodec>?) throws -> Int32 {
        var index = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0)
        guard index < 0, index != rc_averror_decoder_not_found, fmt.pointee.ctx_flags & AVFMTCTX_NOHEADER != 0 else {
            return index
        }
        var bytesRead: Int64 = 0
        while index < 0, heldBack.count < MediaLimits.packetsBeforePictureStream, bytesRead < MediaLimits.probeBytes {
            guard let p = try holdBackNextPacket(fmt) else { break }   // the end or damage: no picture stream
            bytesRead += Int64(p.pointee.size)
            index = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0)
        }
        if StopRequest.isRequested { throw fail(.unreadable, "stopped while reading it") }
        return index
    }

    /// Reads the next packet into `heldBack` (the decoder gets it first) and returns it;
    /// nil at the end or on damage (the next read meets it again).
    private func holdBackNextPacket(_ fmt: UnsafeMutablePointer<AVFormatContext>) throws -> UnsafeMutablePointer<AVPacket>? {
        var held = av_packet_alloc()
        guard let p = held else { throw fail(.unreadable, "out of memory while opening it") }
        guard av_read_frame(fmt, p) >= 0 else {
            av_packet_free(&held)
            return nil
        }
        heldBack.append(p)
        return p
    }

    private func dropHeldBack() {
        for i in heldBack.indices { av_packet_free(&heldBack[i]) }
        heldBack.removeAll()
    }

    /// A JPEG photo above `MediaLimits.maxPixels` (a phone's 12 MP, a camera's 24 MP) is
    /// decoded at 1/2, 1/4 or 1/8 of its size by the decoder's inverse DCT (`lowres`), so
    /// that it costs no more memory than the largest picture read whole; its size comes
    /// from its frame header, in its first packet, which the decoder then gets first.
    private func reduceLargeJPEG(_ fmt: UnsafeMutablePointer<AVFormatContext>,
                                 decoder dec: UnsafeMutablePointer<AVCodecContext>) throws {
        guard demuxerName == "jpeg_pipe" else { return }
        guard let first = try holdBackNextPacket(fmt) else { return }   // reported when the decoder asks for it
        guard let data = first.pointee.data, first.pointee.size > 0,
              let size = JPEGDimensions.of(UnsafeBufferPointer(start: data, count: Int(first.pointee.size))) else { return }
        announcedSize = size
        if let why = MediaLimits.refusal(width: size.width, height: size.height, reducible: true) { throw fail(.tooLarge, why) }
        guard let k = JPEGDimensions.reduction(width: size.width, height: size.height, maxPixels: MediaLimits.maxPixels),
              k > 0 else { return }
        dec.pointee.lowres = Int32(k)
        // The decoder checks the full size against max_pixels (rows aligned to 64).
        dec.pointee.max_pixels = Int64(size.width + 64) * Int64(size.height)
        fullSize = size
    }

    /// `timeBase` and `nominalFPS` as the stream states them now. Without a search
    /// through the file (avformat_find_stream_info, which would decode pictures before
    /// their size is checked) some containers state no rate (MPEG-TS, MPEG program
    /// streams, FLV): then it is the index's count over the stream's duration where
    /// there is one, else the rate the decoder read from the bitstream with the first
    /// picture (H.264's timing, MPEG-2's sequence header).
    /// `firstPicture`: the first decoded picture, whose duration is the rate's last
    /// resort (an animated PNG states only its pictures' delays).
    private func readClock(of stream: UnsafeMutablePointer<AVStream>, firstPicture: UnsafeMutablePointer<AVFrame>? = nil) {
        let tb = stream.pointee.time_base
        timeBase = tb.num > 0 && tb.den > 0 ? Double(tb.num) / Double(tb.den) : 1.0 / 90_000
        func fps(_ r: AVRational?) -> Double? { r.flatMap { $0.num > 0 && $0.den > 0 ? Double($0.num) / Double($0.den) : nil } }
        let count = stream.pointee.nb_frames, ticks = stream.pointee.duration
        let fromIndex = count > 1 && ticks > 0 && ticks != rc_av_nopts_value ? Double(count) / (Double(ticks) * timeBase) : nil
        // A raw H.264 or HEVC stream has no container clock: FFmpeg's demuxer times its
        // packets at its default 25 fps whatever the bitstream says, so the rate is that.
        let raw: Double? = ["h264", "hevc"].contains(demuxerName) ? 25 : nil
        let shown = firstPicture.flatMap { picture -> Double? in
            let ticks = Double(picture.pointee.pkt_duration)
            guard ticks > 0 else { return nil }
            // A duration is whole ticks (an animated PNG's 1/15 s is 6,667 of 1/100000 s):
            // a whole rate whose period rounds to it is the rate.
            let rate = 1 / (ticks * timeBase), whole = rate.rounded()
            return whole > 0 && abs(1 / whole / timeBase - ticks) <= 0.5 ? whole : rate
        }
        let candidates = [fps(stream.pointee.avg_frame_rate), fps(stream.pointee.r_frame_rate), fromIndex, raw,
                          fps(decoder?.pointee.framerate), shown]
        if let rate = candidates.lazy.compactMap({ $0 }).first(where: { $0.isFinite && $0 > 0 && $0 <= 1000 }) {
            nominalFPS = rate
        }
    }

    /// FFmpeg's name for the container's demuxer ("mov,mp4,m4a,3gp,3g2,mj2", "mpegts").
    private var demuxerName: String {
        format?.pointee.iformat.map { String(cString: $0.pointee.name) } ?? ""
    }

    // MARK: Reading

    public func nextFrame() throws -> Frame? {
        guard !finished, let decoder, let picture else { return nil }
        while true {
            let received = avcodec_receive_frame(decoder, picture)
            if received == 0 {
                failuresInRow = 0
                packetsWithoutPicture = 0
                if let frame = try deliver(picture) { return frame }
                continue
            }
            // Drained: the decoder has given all it will (EAGAIN then would never end).
            if received == rc_averror_eof || (draining && received == rc_averror_eagain) {
                if let frame = try endOfPass() { return frame }
                if finished { return nil }
                continue
            }
            if received != rc_averror_eagain { try noteFailure(received) }
            try feedDecoder(decoder)
            if finished { return nil }
        }
    }

    /// Sends the next packet of the picture stream to the decoder (or the end-of-stream
    /// signal once the file has no more).
    private func feedDecoder(_ decoder: UnsafeMutablePointer<AVCodecContext>) throws {
        guard !draining, let format, let packet else {
            if !draining { finished = true }
            return
        }
        while true {
            // The packets read while the picture stream was looked for come first.
            var held = heldBack.isEmpty ? nil : heldBack.removeFirst()
            defer { av_packet_free(&held) }
            let packet = held ?? packet
            let read = held == nil ? av_read_frame(format, packet) : 0
            if read < 0 {
                if StopRequest.isRequested { finished = true; return }
                if read != rc_averror_eof { readFailure = read }
                draining = true
                _ = avcodec_send_packet(decoder, nil)
                return
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            packetsThisPass += 1
            packetsWithoutPicture += 1
            if packetsWithoutPicture > MediaLimits.packetsWithoutPicture {
                finished = true
                throw fail(.badHeader, "\(MediaLimits.packetsWithoutPicture) packets in a row gave no picture; played \(framesThisPass) frames")
            }
            let sent = avcodec_send_packet(decoder, packet)
            if sent < 0 && sent != rc_averror_eagain { try noteFailure(sent) }
            return
        }
    }

    private func noteFailure(_ code: Int32) throws {
        lastDecodeFailure = code
        failuresInRow += 1
        if failuresInRow >= MediaLimits.failuresInRow {
            finished = true
            throw fail(.badHeader, "\(failuresInRow) pictures in a row failed to decode (\(decodeFailureText(code))); played \(framesThisPass) frames")
        }
    }

    private func decodeFailureText(_ code: Int32) -> String {
        code == rc_averror(EINVAL) || code == rc_averror_enomem
            ? "\(ffmpegErrorText(code)); pictures above \(MediaLimits.maxPixels) pixels (3840x2160) are refused"
            : ffmpegErrorText(code)
    }

    /// The decoder gave its last picture of this pass: a picture held back by a seek
    /// past the end, a damaged or cut file reported, the next pass of a loop, or the end.
    private func endOfPass() throws -> Frame? {
        if seekTarget != nil, let skipped, skipped.pointee.width > 0 {
            seekTarget = nil
            return try deliver(skipped, at: skippedTime)
        }
        if seekTarget != nil, try seekEarlier() { return nil }
        let wholeFile = framesThisPass > 0 && readFailure == nil
        if framesThisPass == 0 && delivered == 0 {
            finished = true
            let why = readFailure.map { ffmpegErrorText($0) } ?? (lastDecodeFailure != 0 ? decodeFailureText(lastDecodeFailure) : "the stream is empty")
            throw fail(.truncated, "no picture could be decoded from it (\(why))")
        }
        if let failure = readFailure {
            finished = true
            throw fail(.truncated, "cannot read past frame \(framesThisPass) (\(ffmpegErrorText(failure))); the file is cut or damaged")
        }
        if let cut = cutShort {
            finished = true
            throw fail(.truncated, cut)
        }
        if !seekedThisPass, let expected = expectedPackets, packetsThisPass < expected {
            finished = true
            throw fail(.truncated, "the file was cut: its index lists \(expected) pictures, \(packetsThisPass) are there; played \(framesThisPass) frames")
        }
        guard loop && wholeFile else {
            finished = true
            return nil
        }
        try rewind(to: 0)
        seekedThisPass = false
        passOffset += (lastMediaTime ?? 0) + frameInterval
        lastMediaTime = nil
        framesThisPass = 0
        packetsThisPass = 0
        newPass = true
        return nil
    }

    /// Pictures the container's index promises (MP4 and MOV list every sample).
    private var expectedPackets: Int? {
        guard let format, let stream = format.pointee.streams[Int(streamIndex)] else { return nil }
        let n = stream.pointee.nb_frames
        return n > 0 && n < Int64(Int32.max) ? Int(n) : nil
    }

    /// Why the pass ended early although the demuxer saw a clean end: the picture
    /// stream's stated duration (or the file's, when the picture stream is all it holds:
    /// a soundtrack may run on past the pictures) runs on past the last picture by more
    /// than a second (a WebM cut in a cluster ends quietly).
    private var cutShort: String? {
        guard let format, let stream = format.pointee.streams[Int(streamIndex)], let last = lastMediaTime else { return nil }
        var duration: Double?
        if stream.pointee.duration > 0 && stream.pointee.duration != rc_av_nopts_value {
            duration = Double(stream.pointee.duration) * timeBase
        } else if format.pointee.nb_streams == 1, format.pointee.duration > 0, format.pointee.duration != rc_av_nopts_value {
            duration = Double(format.pointee.duration) / Double(AV_TIME_BASE)
        }
        guard let duration, duration.isFinite, last + frameInterval < duration - max(1, 2 * frameInterval) else { return nil }
        func tenths(_ x: Double) -> String { let t = Int((x * 10).rounded()); return "\(t / 10).\(t % 10)" }
        let said = tenths(duration), got = tenths(last + frameInterval)
        return "the file was cut: it says it lasts \(said) s, its pictures end at \(got) s; played \(framesThisPass) frames"
    }

    /// Seconds between pictures: the nominal rate's, else the last two pictures' (an
    /// MPEG program stream states no rate), else 1/25.
    private var frameInterval: Double { nominalFPS.map { 1 / $0 } ?? observedStep ?? 1 / 25 }
    private var observedStep: Double?

    /// Demuxers whose seek by time misses the start (an MPEG program stream's lands
    /// near its second key picture, an MPEG-TS's search for its first timestamp finds
    /// nothing): the start is byte 0 there, where their packets resync (as it is for
    /// `seeksByKeyPictures`).
    static let restartsAtByteZero: Set<String> = ["mpeg", "mpegts"]

    /// Demuxers with no index and no clock: raw H.264 and HEVC, and pictures one after
    /// another (a raw MJPEG stream, as a camera's `--codec mjpeg` writes it, is read as a
    /// `jpeg_pipe`). FFmpeg stamps their packets at a fixed rate counted from where it
    /// started reading, and its seek by time fails (leaving the demuxer at the end). Their
    /// frames are counted instead, a seek back goes to the last key picture passed before
    /// the target (`KeyPictureIndex`) and a seek forward decodes on.
    static let seeksByKeyPictures: Set<String> = ["h264", "hevc", "jpeg_pipe", "png_pipe", "webp_pipe", "bmp_pipe",
                                                  "tiff_pipe", "qoi_pipe", "pgm_pipe", "ppm_pipe", "pbm_pipe", "pam_pipe"]

    /// Moves the demuxer to the key picture at or before `seconds` into the stream and
    /// restarts the decoder.
    private func rewind(to seconds: Double) throws {
        guard let format, let decoder else { return }
        let stamp = startStamp &+ Int64((max(0, seconds) / timeBase).rounded(.down))
        let moved: Int32
        if countsPictures {
            let key = seconds > 0 ? keyPictures.last(atOrBefore: seconds, slack: frameInterval / 2) : nil
            moved = av_seek_frame(format, -1, key?.position ?? 0, AVSEEK_FLAG_BYTE)
            countedTime = key == nil ? 0 : nil
        } else if seconds <= 0 && MediaReader.restartsAtByteZero.contains(demuxerName) {
            moved = av_seek_frame(format, -1, 0, AVSEEK_FLAG_BYTE)
        } else {
            moved = av_seek_frame(format, streamIndex, stamp, AVSEEK_FLAG_BACKWARD)
        }
        guard bytes.isSeekable, moved >= 0 else {
            finished = true
            guard bytes.isSeekable else { throw FrameSourceError.cannotLoopPipe(path: path, played: framesThisPass) }
            throw fail(.notAFile, "cannot go back in it for --loop (FFmpeg could not seek); played \(framesThisPass) frames once")
        }
        avcodec_flush_buffers(decoder)
        dropHeldBack()
        draining = false
        readFailure = nil
        failuresInRow = 0
        packetsWithoutPicture = 0
        if let skipped { av_frame_unref(skipped) }
    }

    /// Turns a decoded picture into a frame, or nil when it is skipped on the way to a
    /// seek's target.
    /// `knownTime`: the picture's time where it was worked out before (a skipped picture
    /// shown at the end).
    private func deliver(_ decoded: UnsafeMutablePointer<AVFrame>, at knownTime: Double? = nil) throws -> Frame? {
        let w = Int(decoded.pointee.width), h = Int(decoded.pointee.height)
        if let why = MediaLimits.refusal(width: w, height: h) {
            finished = true
            throw fail(.tooLarge, why)
        }
        if delivered == 0, let format, let stream = format.pointee.streams[Int(streamIndex)] {
            readClock(of: stream, firstPicture: decoded)
        }
        let stamp = decoded.pointee.best_effort_timestamp
        if !startKnown && stamp != rc_av_nopts_value {
            startStamp = stamp
            startKnown = true
        }
        let mediaTime: Double
        if let knownTime {
            mediaTime = knownTime
        } else if countsPictures {
            guard let counted = countedPictureTime(decoded) else { return nil }
            mediaTime = counted
        } else {
            mediaTime = stamp != rc_av_nopts_value
                ? Double(stamp &- startStamp) * timeBase
                : (lastMediaTime.map { $0 + frameInterval } ?? 0)
        }
        if let target = seekTarget, mediaTime < target - frameInterval / 2 {
            if let skipped, decoded != skipped {
                av_frame_unref(skipped)
                av_frame_move_ref(skipped, decoded)
                skippedTime = mediaTime
            }
            return nil
        }
        let landedBySeek = seekTarget != nil
        // Landed past the target with nothing skipped on the way: go back further.
        if let target = seekTarget, mediaTime > target + frameInterval / 2, skipped?.pointee.width == 0,
           try seekEarlier() {
            av_frame_unref(decoded)
            return nil
        }
        seekTarget = nil
        if pacing && !pacer.wait(forMediaTime: passOffset + mediaTime) {
            finished = true
            return nil
        }
        let orientation = exifOrientation(of: decoded) ?? PictureOrientation(turn: turn)
        guard var frame = converter?.convert(decoded, width: w, height: h).map(orientation.apply) else {
            finished = true
            throw fail(.badHeader, "its pictures are in a pixel format that cannot be converted to gray")
        }
        if let full = fullSize { frame.reducedFrom = orientation.turn.swapsSides ? (full.height, full.width) : full }
        frame.timestamp = passOffset + mediaTime
        frame.index = delivered
        frame.startsNewPass = newPass
        newPass = false
        if !landedBySeek, let last = lastMediaTime, mediaTime > last, mediaTime - last <= 1 { observedStep = mediaTime - last }
        lastMediaTime = mediaTime
        delivered += 1
        framesThisPass += 1
        av_frame_unref(decoded)
        return frame
    }

    /// The EXIF Orientation a photo's decoder found (JPEG: frame metadata "Orientation",
    /// written with leading spaces), or nil.
    private func exifOrientation(of decoded: UnsafeMutablePointer<AVFrame>) -> PictureOrientation? {
        guard let entry = av_dict_get(decoded.pointee.metadata, "Orientation", nil, 0), let text = entry.pointee.value,
              let value = String(cString: text).split(separator: " ").first.flatMap({ Int($0) }) else { return nil }
        return PictureOrientation(exif: value)
    }

    // MARK: Seeking

    /// After a seek that landed past its target or at the end (MPEG program and
    /// transport streams are searched by bytes and timestamps, not key pictures: their
    /// seek can land a GOP late), the demuxer is sent 1, 4, 16… seconds before the
    /// target, at last to the start, and decodes forward to it. False once the start
    /// was tried: then the picture it found is the answer.
    private func seekEarlier() throws -> Bool {
        guard let target = seekTarget, seekMargin < target else { return false }
        seekMargin = seekMargin == 0 ? 1 : seekMargin * 4
        try rewind(to: max(0, target - seekMargin))
        return true
    }

    /// A counted stream's picture time (`countsPictures`), noting its key pictures; nil
    /// for a picture decoded after a seek back before the key picture it went to.
    private func countedPictureTime(_ decoded: UnsafeMutablePointer<AVFrame>) -> Double? {
        let position = decoded.pointee.pkt_pos, key = decoded.pointee.key_frame != 0
        if countedTime == nil, key, let time = keyPictures.time(at: position) { countedTime = time }
        guard let time = countedTime else { return nil }
        if key { keyPictures.record(position: position, time: time) }
        countedTime = time + frameInterval
        return time
    }

    public var canSeek: Bool { bytes.isSeekable && !finished }

    public func seek(fromLastDeliveredBy frames: Int) -> Bool {
        guard canSeek, let last = lastMediaTime else { return false }
        let target = max(0, last + Double(frames) * frameInterval)
        // Forward in a counted stream: decode on (the pictures to the target are skipped).
        if !(countsPictures && target > last), (try? rewind(to: target)) == nil {
            finished = false
            return false
        }
        seekTarget = target
        seekMargin = 0
        seekedThisPass = true
        newPass = true
        pacer.restart()
        return true
    }
}

