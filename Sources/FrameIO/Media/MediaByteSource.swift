import CFFmpeg
#if canImport(Glibc)
import Glibc
#endif

/// The bytes FFmpeg's demuxer reads, through our own reads instead of FFmpeg's
/// protocols: the one file the user named is the only thing ever opened (a playlist
/// or a reference inside a clip cannot reach other files or the network), a read
/// from a slow pipe polls and gives up as soon as a stop is requested, and the fuzz
/// target can feed memory through the same path.
final class MediaByteSource {
    private enum Storage {
        /// An open file (its FILE keeps the descriptor; reads go to the descriptor).
        case file(UnsafeMutablePointer<FILE>)
        case memory([UInt8])
    }

    private var storage: Storage?
    /// Read position in `memory`.
    private var position = 0
    /// Regular files and memory can seek (a clip's index at its end, replay, `--loop`);
    /// pipes cannot.
    let isSeekable: Bool

    /// Opens `path` with the file readers' one-line errors (missing, unreadable, a
    /// directory). A FIFO blocks in open until a writer comes, like the .y4m reader;
    /// SIGINT ends that wait (the handler is installed without SA_RESTART).
    init(path: String) throws {
        let f = try openForReading(path, expecting: "a video or image file")
        storage = .file(f)
        var st = stat()
        isSeekable = fstat(fileno(f), &st) == 0 && st.st_mode & S_IFMT == S_IFREG
    }

    init(memory: [UInt8]) {
        storage = .memory(memory)
        isSeekable = true
    }

    deinit { close() }

    func close() {
        if case .file(let f)? = storage { fclose(f) }
        storage = nil
    }

    /// Up to `size` bytes into `buffer`: the count, AVERROR_EOF at the end, AVERROR_EXIT
    /// when a stop was requested while waiting, or AVERROR(errno).
    func read(into buffer: UnsafeMutablePointer<UInt8>, size: Int32) -> Int32 {
        switch storage {
        case .memory(let bytes)?:
            let n = min(Int(size), bytes.count - position)
            if n <= 0 { return rc_averror_eof }
            bytes.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + position, count: n) }
            position += n
            return Int32(n)
        case .file(let f)?:
            let fd = fileno(f)
            while true {
                if StopRequest.isRequested { return rc_averror_exit }
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&p, 1, Int32(StopRequest.checkInterval * 1000))
                if ready < 0 && errno != EINTR { return rc_averror(errno) }
                if ready <= 0 { continue }
                let n = Glibc.read(fd, buffer, Int(size))
                if n > 0 { return Int32(n) }
                if n == 0 { return rc_averror_eof }
                if errno != EINTR && errno != EAGAIN { return rc_averror(errno) }
            }
        case nil:
            return rc_averror_eof
        }
    }

    /// FFmpeg's seek: the new position, the total size for AVSEEK_SIZE, or -1.
    func seek(to offset: Int64, whence: Int32) -> Int64 {
        guard isSeekable, let storage else { return -1 }
        switch storage {
        case .memory(let bytes):
            if whence & rc_avseek_size != 0 { return Int64(bytes.count) }
            let base: Int
            switch whence & ~rc_avseek_force {
            case SEEK_SET: base = 0
            case SEEK_CUR: base = position
            case SEEK_END: base = bytes.count
            default: return -1
            }
            let (target, overflow) = Int64(base).addingReportingOverflow(offset)
            guard !overflow, target >= 0, target <= Int64(bytes.count) else { return -1 }
            position = Int(target)
            return target
        case .file(let f):
            let fd = fileno(f)
            if whence & rc_avseek_size != 0 {
                var st = stat()
                return fstat(fd, &st) == 0 ? Int64(st.st_size) : -1
            }
            let to = lseek(fd, off_t(offset), whence & ~rc_avseek_force)
            return to < 0 ? -1 : Int64(to)
        }
    }

    /// An AVIOContext reading through this source (the source must outlive it); nil
    /// when FFmpeg cannot allocate one. `freeIOContext` releases it.
    func makeIOContext() -> UnsafeMutablePointer<AVIOContext>? {
        let size: Int32 = 1 << 16
        guard let buffer = av_malloc(Int(size)) else { return nil }
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        let read: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = { opaque, buf, size in
            guard let opaque, let buf, size > 0 else { return rc_averror_eof }
            return Unmanaged<MediaByteSource>.fromOpaque(opaque).takeUnretainedValue().read(into: buf, size: size)
        }
        let seek: @convention(c) (UnsafeMutableRawPointer?, Int64, Int32) -> Int64 = { opaque, offset, whence in
            guard let opaque else { return -1 }
            return Unmanaged<MediaByteSource>.fromOpaque(opaque).takeUnretainedValue().seek(to: offset, whence: whence)
        }
        guard let io = avio_alloc_context(buffer.assumingMemoryBound(to: UInt8.self), size, 0, opaque, read, nil,
                                          isSeekable ? seek : nil) else {
            av_free(buffer)
            return nil
        }
        return io
    }

    static func freeIOContext(_ io: inout UnsafeMutablePointer<AVIOContext>?) {
        guard io != nil else { return }
        av_freep(&io!.pointee.buffer)
        avio_context_free(&io)
    }
}
