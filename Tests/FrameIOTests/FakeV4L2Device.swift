import CV4L2
import Glibc
@testable import FrameIO

/// A V4L2 driver in memory, behind the same seam as libv4l2. It answers the ioctls the
/// camera makes, keeps a real buffer queue (QBUF/DQBUF order, mmap'd memory), plays a
/// script of per-frame events, and logs every call so tests can check teardown.
final class FakeV4L2Device: V4L2System {
    enum Event {
        case frame([UInt8])
        case damagedFrame([UInt8])
        case pollTimeout
        case pollFailure(Int32)
        case dequeueError(Int32)
        /// A buffer with bytesused == 0 and no error flag.
        case emptyBuffer
        /// SIGINT arrives while polling (StopRequest is raised; tests reset it).
        case stopRequest
        /// poll reports POLLERR; the next event answers the DQBUF that follows.
        case pollError
        /// poll says ready, DQBUF says EAGAIN (libv4l2 could not convert the frame).
        case unconvertible
    }

    enum FormatAnswer {
        case settle(UInt32, Int, Int, Int)
        case refuse(Int32)
    }

    // What the "driver" is like.
    var pathKind: V4L2PathKind = .characterDevice
    var openError: Int32 = 0
    var queryCapError: Int32 = 0
    var capabilities: UInt32 = RC_V4L2_CAP_VIDEO_CAPTURE | RC_V4L2_CAP_STREAMING
    /// The driver's answer to S_FMT for (fourcc, width, height): the format it settles
    /// on (fourcc, width, height, bytesperline), or an errno.
    var answerFormat: (UInt32, Int, Int) -> FormatAnswer = { f, w, h in
        .settle(f, w, h, 0)
    }
    var failing: [String: Int32] = [:]
    /// TRY_FMT is optional for drivers: false answers ENOTTY.
    var supportsTryFormat = true
    /// What ENUM_FMT and ENUM_FRAMESIZES list: nil answers ENOTTY (a driver that does
    /// not enumerate), so S_FMT alone negotiates.
    var offered: [(fourcc: UInt32, emulated: Bool, sizes: [(Int, Int)])]?
    var grantedBuffers: UInt32 = 4
    var extraBufferBytes = 0
    var mmapFailsAtBuffer: Int?
    /// QBUF succeeds this many times, then fails with the errno (a requeue failure).
    var qbufFailsAfter: (count: Int, error: Int32)?
    private var qbufCalls = 0
    var frameInterval: (UInt32, UInt32) = (1, 30)
    var script: [Event] = []
    /// The field order S_FMT answers with.
    var fieldAnswer: UInt32 = RC_V4L2_FIELD_NONE
    /// Per delivered frame: a driver timestamp and its clock flag (V4L2_BUF_FLAG_TIMESTAMP_*);
    /// when empty, every frame gets 1000 s + index ms with no clock flag.
    var driverStamps: [(seconds: Double, flags: UInt32)] = []
    /// The device's clock (what `now()` says): polls that time out and dequeues advance it,
    /// so stall tests run in simulated time.
    private(set) var clock = 100.0
    static let frameSeconds = 1.0 / 30

    // What happened.
    private(set) var log: [String] = []
    private(set) var isOpen = false
    private(set) var enabledConversion = false
    private(set) var streaming = false
    private(set) var requestedBufferCount: UInt32 = 0
    private(set) var requestedInterval: (UInt32, UInt32)?
    private(set) var mapped: [UnsafeMutableRawPointer: Int] = [:]
    private(set) var queue: [UInt32] = []
    private(set) var doubleQueued = false
    private(set) var requestedField: UInt32?
    private(set) var pollTimeouts: [Int32] = []

    private var format: (fourcc: UInt32, width: Int, height: Int, stride: Int) = (0, 0, 0, 0)
    private var offsets: [Int: UnsafeMutableRawPointer] = [:]
    let fd: Int32 = 42

    deinit {
        for (p, _) in mapped { p.deallocate() }
    }

    func kind(ofPath path: String) -> V4L2PathKind { pathKind }

    func open(_ path: String) -> (fd: Int32, error: Int32) {
        log.append("open")
        if openError != 0 { return (-1, openError) }
        isOpen = true
        return (fd, 0)
    }

    func enableConversion(_ fd: Int32) -> Int32 {
        enabledConversion = true
        return 0
    }

    func ioctl(_ fd: Int32, _ request: UInt, _ arg: UnsafeMutableRawPointer) -> Int32 {
        precondition(isOpen && fd == self.fd, "ioctl on a closed descriptor")
        switch request {
        case RC_VIDIOC_QUERYCAP:
            log.append("QUERYCAP")
            if queryCapError != 0 { return queryCapError }
            let cap = arg.assumingMemoryBound(to: v4l2_capability.self)
            cap.pointee.capabilities = capabilities
            withUnsafeMutableBytes(of: &cap.pointee.card) { raw in
                for (i, b) in "Fake Cam".utf8.enumerated() { raw[i] = b }
            }
            return 0
        case RC_VIDIOC_TRY_FMT:
            guard supportsTryFormat else { return ENOTTY }
            let fmt = arg.assumingMemoryBound(to: v4l2_format.self)
            log.append("TRY_FMT \(fourccName(fmt.pointee.fmt.pix.pixelformat))")
            if let e = failing["TRY_FMT"] { return e }
            return answer(fmt) ?? 0
        case RC_VIDIOC_S_FMT:
            let fmt = arg.assumingMemoryBound(to: v4l2_format.self)
            requestedField = fmt.pointee.fmt.pix.field
            log.append("S_FMT \(fourccName(fmt.pointee.fmt.pix.pixelformat))")
            if let e = failing["S_FMT"] { return e }
            if let e = answer(fmt) { return e }
            let p = fmt.pointee.fmt.pix
            format = (p.pixelformat, Int(p.width), Int(p.height), Int(p.bytesperline))
            return 0
        case RC_VIDIOC_ENUM_FMT:
            guard let offered else { return ENOTTY }
            let d = arg.assumingMemoryBound(to: v4l2_fmtdesc.self)
            guard Int(d.pointee.index) < offered.count else { return EINVAL }
            let o = offered[Int(d.pointee.index)]
            d.pointee.pixelformat = o.fourcc
            d.pointee.flags = o.emulated ? RC_V4L2_FMT_FLAG_EMULATED : 0
            return 0
        case RC_VIDIOC_ENUM_FRAMESIZES:
            let f = arg.assumingMemoryBound(to: v4l2_frmsizeenum.self)
            guard let o = offered?.first(where: { $0.fourcc == f.pointee.pixel_format }),
                  Int(f.pointee.index) < o.sizes.count else { return EINVAL }
            let (w, h) = o.sizes[Int(f.pointee.index)]
            f.pointee.type = RC_V4L2_FRMSIZE_TYPE_DISCRETE
            f.pointee.discrete.width = UInt32(w)
            f.pointee.discrete.height = UInt32(h)
            return 0
        case RC_VIDIOC_S_PARM:
            let p = arg.assumingMemoryBound(to: v4l2_streamparm.self)
            let t = p.pointee.parm.capture.timeperframe
            requestedInterval = (t.numerator, t.denominator)
            log.append("S_PARM")
            return failing["S_PARM"] ?? 0
        case RC_VIDIOC_G_PARM:
            let p = arg.assumingMemoryBound(to: v4l2_streamparm.self)
            p.pointee.parm.capture.timeperframe.numerator = frameInterval.0
            p.pointee.parm.capture.timeperframe.denominator = frameInterval.1
            return 0
        case RC_VIDIOC_REQBUFS:
            let r = arg.assumingMemoryBound(to: v4l2_requestbuffers.self)
            log.append("REQBUFS \(r.pointee.count)")
            if let e = failing["REQBUFS"] { return e }
            if r.pointee.count > 0 {
                requestedBufferCount = r.pointee.count
                r.pointee.count = min(r.pointee.count, grantedBuffers)
            }
            return 0
        case RC_VIDIOC_QUERYBUF:
            let b = arg.assumingMemoryBound(to: v4l2_buffer.self)
            if let e = failing["QUERYBUF"] { return e }
            b.pointee.length = UInt32(bufferBytes)
            b.pointee.m.offset = b.pointee.index * 4096
            return 0
        case RC_VIDIOC_QBUF:
            let b = arg.assumingMemoryBound(to: v4l2_buffer.self)
            if let e = failing["QBUF"] { return e }
            qbufCalls += 1
            if let f = qbufFailsAfter, qbufCalls > f.count { return f.error }
            if queue.contains(b.pointee.index) { doubleQueued = true; return EINVAL }
            queue.append(b.pointee.index)
            return 0
        case RC_VIDIOC_STREAMON:
            log.append("STREAMON")
            if let e = failing["STREAMON"] { return e }
            streaming = true
            return 0
        case RC_VIDIOC_STREAMOFF:
            log.append("STREAMOFF")
            streaming = false
            queue.removeAll()
            return 0
        case RC_VIDIOC_DQBUF:
            guard streaming else { return EINVAL }
            let b = arg.assumingMemoryBound(to: v4l2_buffer.self)
            guard !script.isEmpty else { return EAGAIN }
            clock += FakeV4L2Device.frameSeconds
            switch script.removeFirst() {
            case .dequeueError(let e):
                log.append("DQBUF error \(e)")
                return e
            case .frame(let bytes):
                return deliver(bytes, damaged: false, into: b)
            case .damagedFrame(let bytes):
                return deliver(bytes, damaged: true, into: b)
            case .emptyBuffer:
                return deliver([], damaged: false, into: b)
            case .unconvertible:
                return EAGAIN
            default:
                return EAGAIN
            }
        default:
            return ENOTTY
        }
    }

    /// Fills in `answerFormat`'s answer to a format request (TRY_FMT and S_FMT alike):
    /// nil when it settled, else the errno it refused with.
    private func answer(_ fmt: UnsafeMutablePointer<v4l2_format>) -> Int32? {
        let p = fmt.pointee.fmt.pix
        switch answerFormat(p.pixelformat, Int(p.width), Int(p.height)) {
        case .refuse(let e): return e
        case .settle(let f, let w, let h, let stride):
            fmt.pointee.fmt.pix.pixelformat = f
            fmt.pointee.fmt.pix.width = UInt32(w)
            fmt.pointee.fmt.pix.height = UInt32(h)
            fmt.pointee.fmt.pix.bytesperline = UInt32(stride)
            fmt.pointee.fmt.pix.field = fieldAnswer
            return nil
        }
    }

    private func deliver(_ bytes: [UInt8], damaged: Bool, into b: UnsafeMutablePointer<v4l2_buffer>) -> Int32 {
        guard !queue.isEmpty else { return EAGAIN }
        let index = queue.removeFirst()
        let p = offsets[Int(index) * 4096]!
        p.copyMemory(from: bytes, byteCount: min(bytes.count, bufferBytes))
        b.pointee.index = index
        b.pointee.bytesused = UInt32(bytes.count)
        if driverStamps.isEmpty {
            b.pointee.timestamp = timeval(tv_sec: 1000, tv_usec: Int(index) * 1000)
        } else {
            let (seconds, flags) = driverStamps.removeFirst()
            b.pointee.timestamp = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
            b.pointee.flags |= flags
        }
        if damaged { b.pointee.flags |= RC_V4L2_BUF_FLAG_ERROR }
        log.append("DQBUF \(index)")
        return 0
    }

    var bufferBytes: Int {
        let f = CapturePixelFormat(fourcc: format.fourcc) ?? .grey
        let stride = max(format.stride, f.minimumStride(width: format.width))
        return f.imageBytes(stride: stride, height: format.height) + extraBufferBytes
    }

    func mmap(fd: Int32, length: Int, offset: Int) -> (address: UnsafeMutableRawPointer?, error: Int32) {
        if let n = mmapFailsAtBuffer, offset / 4096 == n { return (nil, ENOMEM) }
        let p = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 16)
        mapped[p] = length
        offsets[offset] = p
        log.append("mmap \(offset / 4096)")
        return (p, 0)
    }

    func munmap(_ address: UnsafeMutableRawPointer, length: Int) -> Int32 {
        guard mapped[address] == length else { return EINVAL }
        mapped[address] = nil
        address.deallocate()
        log.append("munmap")
        return 0
    }

    func poll(_ fd: Int32, timeoutMilliseconds: Int32) -> V4L2PollResult {
        pollTimeouts.append(timeoutMilliseconds)
        guard let next = script.first else {
            clock += Double(timeoutMilliseconds) / 1000
            return .timeout
        }
        switch next {
        case .pollTimeout:
            script.removeFirst()
            clock += Double(timeoutMilliseconds) / 1000
            return .timeout
        case .stopRequest:
            script.removeFirst()
            StopRequest.request(by: SIGINT)
            return .interrupted
        case .pollFailure(let e):
            script.removeFirst()
            return .failed(e)
        case .pollError:
            script.removeFirst()
            return .errorPending
        default:
            return .ready
        }
    }

    func now() -> Double { clock }

    func close(_ fd: Int32) -> Int32 {
        precondition(isOpen, "closed twice")
        isOpen = false
        log.append("close")
        return 0
    }

    /// True when nothing is left behind: not streaming, no mappings, descriptor closed.
    var isTornDown: Bool { !isOpen && !streaming && mapped.isEmpty }
}
