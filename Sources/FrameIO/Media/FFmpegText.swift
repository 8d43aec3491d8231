import CFFmpeg

/// FFmpeg's words for an error code ("Invalid data found when processing input").
func ffmpegErrorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 128)
    rc_av_strerror(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// FFmpeg prints nothing of its own: a message on stderr would land in the middle of
/// the terminal UI. Every failure reaches the user as our one line instead.
let silenceFFmpeg: Void = { av_log_set_level(rc_av_log_quiet) }()
