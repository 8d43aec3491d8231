import CV4L2
#if canImport(Glibc)
import Glibc
#endif

/// A V4L2 video capture device streamed through mmap buffers.
///
/// Opening walks the whole setup (QUERYCAP, format negotiation, frame interval,
/// REQBUFS, QUERYBUF + mmap, QBUF, STREAMON) and tears down whatever was set up if a
/// step fails. `nextFrame` polls with a timeout, dequeues, converts and requeues.
/// STREAMOFF, munmap and close happen on every exit path: `close()`, any error, deinit.
public final class V4L2Camera: FrameSource {
    public let devicePath: String
    public private(set) var label: String
    public private(set) var nominalFPS: Double?
    /// What the driver settled on (it may differ from what was asked for).
    public internal(set) var width = 0
    public internal(set) var height = 0
    public internal(set) var pixelFormatName = ""
    public private(set) var bufferCount = 0
    public private(set) var framesCaptured = 0

    /// How long one poll waits (so a stop request is seen within it), and how long
    /// without a usable frame counts as a stall.
    static let pollMilliseconds: Int32 = 100
    static let stallSeconds = 5.0
    /// EIO from DQBUF in a row before the device counts as lost: libv4l2 reports a run
    /// of undecodable MJPEG frames as EIO, and the V4L2 spec allows EIO to be transient.
    static let ioErrorsInARowAllowed = 5
    /// Largest width or height taken from a driver (as for .y4m files).
    static let maxSide = 16384

    let system: V4L2System
    private(set) var fd: Int32 = -1
    /// Set by format negotiation (V4L2Camera+Format.swift).
    var format = CapturePixelFormat.grey
    var stride = 0
    private var buffers: [(address: UnsafeMutableRawPointer, length: Int)] = []
    private var streaming = false
    private var firstTimestamp: Double?
    /// A failure after a frame was already converted (its buffer could not be queued
    /// again): the frame is delivered, the failure ends the next call.
    private var pendingError: FrameSourceError?

    public convenience init(devicePath: String, width: Int, height: Int, fps: Double?) throws {
        try self.init(devicePath: devicePath, width: width, height: height, fps: fps, system: LibV4L2System())
    }

    public init(devicePath: String, width: Int, height: Int, fps: Double?, system: V4L2System) throws {
        self.devicePath = devicePath
        self.system = system
        self.label = devicePath
        do {
            try openDevice()
            try checkCapabilities()
            let rc = system.enableConversion(fd)
            guard rc == 0 else {
                throw FrameSourceError(.deviceFailed, path: devicePath, "libv4l2 cannot take over the device: \(errnoText(rc))")
            }
            try negotiateFormat(width: width, height: height)
            setFrameRate(fps)
            try startStreaming()
        } catch {
            close()
            throw error
        }
        label = "\(devicePath) \(pixelFormatName) \(self.width)x\(self.height)"
    }

    deinit { close() }

    // MARK: Setup

    private func openDevice() throws {
        switch system.kind(ofPath: devicePath) {
        case .missing:
            throw FrameSourceError(.noSuchDevice, path: devicePath, "no such device (is the camera plugged in? `ls /dev/video*` lists the cameras)")
        case .directory:
            throw FrameSourceError(.notACaptureDevice, path: devicePath, "not a V4L2 capture device (it is a directory)")
        case .regularFile:
            throw FrameSourceError(.notACaptureDevice, path: devicePath, "not a V4L2 capture device (it is a regular file; .y4m recordings must end in .y4m)")
        case .other:
            throw FrameSourceError(.notACaptureDevice, path: devicePath, "not a V4L2 capture device (not a character device)")
        case .otherCharacterDevice(let major):
            throw FrameSourceError(.notACaptureDevice, path: devicePath,
                "not a V4L2 capture device (a character device of major \(major), not video4linux's 81; cameras are /dev/video*)")
        case .inaccessible(let code):
            throw openError(code)
        case .characterDevice:
            break
        }
        let (opened, code) = system.open(devicePath)
        guard opened >= 0 else { throw openError(code) }
        fd = opened
    }

    private func openError(_ code: Int32) -> FrameSourceError {
        switch code {
        case ENOENT, ENXIO, ENODEV:
            return FrameSourceError(.noSuchDevice, path: devicePath, "no such device (is the camera plugged in? `ls /dev/video*` lists the cameras)")
        case EACCES, EPERM:
            return FrameSourceError(.permissionDenied, path: devicePath,
                "permission denied; join the video group (sudo usermod -aG video $USER), then log out and back in")
        case EBUSY:
            return busyError()
        default:
            return FrameSourceError(.deviceFailed, path: devicePath, "cannot open the device: \(errnoText(code))")
        }
    }

    func busyError() -> FrameSourceError {
        FrameSourceError(.deviceBusy, path: devicePath, "device busy (another program is using the camera; close it and try again)")
    }

    private func checkCapabilities() throws {
        var cap = v4l2_capability()
        let rc = system.ioctl(fd, RC_VIDIOC_QUERYCAP, &cap)
        if rc == EBUSY { throw busyError() }
        if rc == ENODEV || rc == ENXIO {
            throw FrameSourceError(.noSuchDevice, path: devicePath, "no such device (it went away while opening)")
        }
        guard rc == 0 else {
            throw FrameSourceError(.notACaptureDevice, path: devicePath,
                "not a V4L2 capture device (it does not answer VIDIOC_QUERYCAP: \(errnoText(rc)))")
        }
        let caps = (cap.capabilities & RC_V4L2_CAP_DEVICE_CAPS) != 0 ? cap.device_caps : cap.capabilities
        guard caps & RC_V4L2_CAP_VIDEO_CAPTURE != 0 else {
            throw FrameSourceError(.notACaptureDevice, path: devicePath,
                "not a V4L2 capture device (\(cardName(cap)) has no single-planar video capture; try another /dev/video node)")
        }
        guard caps & RC_V4L2_CAP_STREAMING != 0 else {
            throw FrameSourceError(.notACaptureDevice, path: devicePath,
                "not a usable capture device (\(cardName(cap)) does not support streaming I/O)")
        }
    }

    private func cardName(_ cap: v4l2_capability) -> String {
        var card = cap.card
        let name = withUnsafeBytes(of: &card) { raw -> String in
            let bytes = raw.prefix(while: { $0 != 0 })
            return String(decoding: bytes, as: UTF8.self)
        }
        return name.isEmpty ? "the device" : "\"\(name)\""
    }

    /// Best effort: many drivers ignore or round the interval, and that is fine.
    private func setFrameRate(_ fps: Double?) {
        if let fps, fps > 0 {
            var parm = v4l2_streamparm()
            parm.type = RC_V4L2_BUF_TYPE_VIDEO_CAPTURE
            parm.parm.capture.timeperframe.numerator = 1000
            parm.parm.capture.timeperframe.denominator = UInt32((fps * 1000).rounded())
            _ = system.ioctl(fd, RC_VIDIOC_S_PARM, &parm)
        }
        var parm = v4l2_streamparm()
        parm.type = RC_V4L2_BUF_TYPE_VIDEO_CAPTURE
        if system.ioctl(fd, RC_VIDIOC_G_PARM, &parm) == 0 {
            let t = parm.parm.capture.timeperframe
            if t.numerator > 0 && t.denominator > 0 {
                nominalFPS = Double(t.denominator) / Double(t.numerator)
            }
        }
        if nominalFPS == nil { nominalFPS = fps }
    }

    private func startStreaming() throws {
        var req = v4l2_requestbuffers()
        req.count = 4
        req.type = RC_V4L2_BUF_TYPE_VIDEO_CAPTURE
        req.memory = RC_V4L2_MEMORY_MMAP
        let rc = system.ioctl(fd, RC_VIDIOC_REQBUFS, &req)
        if rc == EBUSY { throw busyError() }
        if rc == ENODEV { throw lostError(ENODEV) }
        guard rc == 0 else {
            throw FrameSourceError(.deviceFailed, path: devicePath, "the driver refuses mmap streaming buffers (REQBUFS: \(errnoText(rc)))")
        }
        guard req.count >= 2 else {
            throw FrameSourceError(.deviceFailed, path: devicePath, "the driver granted \(req.count) capture buffers; streaming needs at least 2")
        }
        let needed = format.minimumImageBytes(stride: stride, height: height)
        for i in 0..<req.count {
            var buf = v4l2_buffer()
            buf.type = RC_V4L2_BUF_TYPE_VIDEO_CAPTURE
            buf.memory = RC_V4L2_MEMORY_MMAP
            buf.index = i
            let q = system.ioctl(fd, RC_VIDIOC_QUERYBUF, &buf)
            guard q == 0 else {
                throw FrameSourceError(.deviceFailed, path: devicePath, "cannot query capture buffer \(i) (QUERYBUF: \(errnoText(q)))")
            }
            let length = Int(buf.length)
            guard length >= needed else {
                throw FrameSourceError(.deviceFailed, path: devicePath,
                    "capture buffer \(i) holds \(length) bytes but a \(width)x\(height) \(pixelFormatName) picture needs \(needed)")
            }
            let (address, err) = system.mmap(fd: fd, length: length, offset: Int(buf.m.offset))
            guard let address else {
                throw FrameSourceError(.deviceFailed, path: devicePath, "cannot map capture buffer \(i): \(errnoText(err))")
            }
            buffers.append((address, length))
        }
        bufferCount = buffers.count
        for i in 0..<buffers.count {
            try queue(UInt32(i))
        }
        var type = Int32(RC_V4L2_BUF_TYPE_VIDEO_CAPTURE)
        let s = system.ioctl(fd, RC_VIDIOC_STREAMON, &type)
        if s == EBUSY { throw busyError() }
        if s == ENOSPC {
            throw FrameSourceError(.deviceBusy, path: devicePath,
                "device busy: not enough USB bandwidth to stream (try a smaller --size, a lower --fps or another USB port)")
        }
        guard s == 0 else {
            if s == ENODEV || s == EIO { throw lostError(s) }
            throw FrameSourceError(.deviceFailed, path: devicePath, "cannot start streaming (STREAMON: \(errnoText(s)))")
        }
        streaming = true
    }

    private func queue(_ index: UInt32) throws {
        var buf = v4l2_buffer()
        buf.type = RC_V4L2_BUF_TYPE_VIDEO_CAPTURE
        buf.memory = RC_V4L2_MEMORY_MMAP
        buf.index = index
        let rc = system.ioctl(fd, RC_VIDIOC_QBUF, &buf)
        guard rc == 0 else {
            if rc == ENODEV || rc == EIO { throw lostError(rc) }
            throw FrameSourceError(.deviceFailed, path: devicePath, "cannot queue capture buffer \(index) (QBUF: \(errnoText(rc)))")
        }
    }

    func lostError(_ code: Int32) -> FrameSourceError {
        let frames = "stopped cleanly after \(framesCaptured) frame\(framesCaptured == 1 ? "" : "s")"
        if code == ENODEV || code == ENXIO {
            return FrameSourceError(.deviceLost, path: devicePath, "device unplugged (ENODEV); \(frames)")
        }
        return FrameSourceError(.deviceLost, path: devicePath, "I/O error from the device (\(errnoText(code))); \(frames)")
    }

    // MARK: Streaming

    public func nextFrame() throws -> Frame? {
        if let e = pendingError {
            pendingError = nil
            close()
            throw e
        }
        guard fd >= 0, streaming else { return nil }
        do {
            return try captureFrame()
        } catch {
            close()
            throw error
        }
    }

    /// Waits for the next usable frame; nil when a stop was requested meanwhile.
    /// Buffers the driver flags as damaged, and empty or short ones, are requeued and
    /// counted: they do not reset the stall clock, so a camera that only sends broken
    /// buffers ends with a message saying so instead of showing nothing forever.
    private func captureFrame() throws -> Frame? {
        let start = system.now()
        var dropped = DroppedBuffers()
        var ioErrorsInARow = 0
        while true {
            if StopRequest.isRequested { return nil }
            if system.now() - start >= V4L2Camera.stallSeconds {
                throw dropped.stallError(devicePath: devicePath, framesCaptured: framesCaptured)
            }
            var flagged = false
            switch system.poll(fd, timeoutMilliseconds: V4L2Camera.pollMilliseconds) {
            case .ready:
                break
            case .errorPending:
                flagged = true
            case .interrupted, .timeout:
                continue
            case .failed(let code):
                throw lostError(code)
            }
            var buf = v4l2_buffer()
            buf.type = RC_V4L2_BUF_TYPE_VIDEO_CAPTURE
            buf.memory = RC_V4L2_MEMORY_MMAP
            var rc = system.ioctl(fd, RC_VIDIOC_DQBUF, &buf)
            if rc == EINTR { continue }
            if rc == EAGAIN {
                // Ready, yet nothing to dequeue: libv4l2 could not convert the frame it
                // took from the driver. After POLLERR, the error the driver flagged.
                if !flagged {
                    dropped.unconverted += 1
                    continue
                }
                rc = EIO
            }
            if rc == EIO && ioErrorsInARow < V4L2Camera.ioErrorsInARowAllowed {
                ioErrorsInARow += 1
                dropped.ioErrors += 1
                continue
            }
            guard rc == 0 else { throw lostError(rc) }
            ioErrorsInARow = 0
            let index = Int(buf.index)
            guard index < buffers.count else {
                throw FrameSourceError(.deviceFailed, path: devicePath, "the driver returned unknown buffer \(index)")
            }
            let needed = format.minimumImageBytes(stride: stride, height: height)
            let used = min(Int(buf.bytesused), buffers[index].length)
            if buf.flags & RC_V4L2_BUF_FLAG_ERROR != 0 || used < needed {
                // V4L2_BUF_FLAG_ERROR: the data is damaged but streaming goes on.
                if buf.flags & RC_V4L2_BUF_FLAG_ERROR != 0 { dropped.damaged += 1 }
                else if used == 0 { dropped.empty += 1 }
                else { dropped.short += 1 }
                try queue(UInt32(index))
                continue
            }
            let stamp = timestamp(of: buf)
            let frame = format.frame(from: UnsafeRawBufferPointer(start: buffers[index].address, count: used),
                                     width: width, height: height, stride: stride,
                                     timestamp: stamp, index: framesCaptured)
            framesCaptured += 1
            do {
                try queue(UInt32(index))
            } catch let e as FrameSourceError {
                pendingError = e
            }
            return frame
        }
    }

    /// Seconds since the first frame. The driver's stamp is used only when it is on
    /// CLOCK_MONOTONIC, the clock `system.now()` reads, so every frame's time comes from
    /// one clock even when the driver stamps some buffers and not others.
    private func timestamp(of buf: v4l2_buffer) -> Double {
        let driver = Double(buf.timestamp.tv_sec) + Double(buf.timestamp.tv_usec) / 1e6
        let monotonic = buf.flags & RC_V4L2_BUF_FLAG_TIMESTAMP_MASK == RC_V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC
        let t = monotonic && driver > 0 ? driver : system.now()
        if firstTimestamp == nil { firstTimestamp = t }
        return max(0, t - firstTimestamp!)
    }

    // MARK: Teardown

    public func close() {
        if streaming, fd >= 0 {
            var type = Int32(RC_V4L2_BUF_TYPE_VIDEO_CAPTURE)
            _ = system.ioctl(fd, RC_VIDIOC_STREAMOFF, &type)
        }
        streaming = false
        for b in buffers { _ = system.munmap(b.address, length: b.length) }
        buffers.removeAll()
        if fd >= 0 { _ = system.close(fd) }
        fd = -1
    }
}
