import CV4L2
#if canImport(Glibc)
import Glibc
#endif

/// What kind of file a path names, as far as opening a camera cares.
public enum V4L2PathKind: Sendable, Equatable {
    case missing
    /// A video4linux node (major 81): a camera, a capture card, a loopback device.
    case characterDevice
    /// A character device of another kind (a watchdog, a tty): never opened, since
    /// opening some of them acts (opening /dev/watchdog arms it).
    case otherCharacterDevice(major: UInt32)
    case directory
    case regularFile
    case other
    /// stat itself failed for another reason (errno).
    case inaccessible(Int32)
}

/// The system calls the camera state machine makes, behind one seam so that a fake
/// device can drive format negotiation, the buffer queue, mid-stream failures and
/// teardown in tests (no real /dev/video* exists on CI machines). Every call returns 0
/// (or a valid descriptor/pointer) on success and reports failures as an errno value.
public protocol V4L2System: AnyObject {
    func kind(ofPath path: String) -> V4L2PathKind
    /// Opens the device read-write and non-blocking: (descriptor, 0) or (-1, errno).
    func open(_ path: String) -> (fd: Int32, error: Int32)
    /// Called once VIDIOC_QUERYCAP has shown a capture device: lets libv4l2 take over
    /// the descriptor (format conversion). Before this, ioctls go straight to the
    /// driver, so a non-V4L2 file gets our one-line error, not libv4l2's chatter.
    func enableConversion(_ fd: Int32) -> Int32
    /// 0 or errno. `arg` points at the ioctl's struct.
    func ioctl(_ fd: Int32, _ request: UInt, _ arg: UnsafeMutableRawPointer) -> Int32
    /// Maps a buffer read-only/shared: the address, or nil and errno.
    func mmap(fd: Int32, length: Int, offset: Int) -> (address: UnsafeMutableRawPointer?, error: Int32)
    func munmap(_ address: UnsafeMutableRawPointer, length: Int) -> Int32
    /// Waits for the descriptor to be readable: `.ready`, `.timeout`, `.errorPending`
    /// (POLLERR: DQBUF tells what), or `.failed(errno)` (POLLHUP: ENODEV).
    func poll(_ fd: Int32, timeoutMilliseconds: Int32) -> V4L2PollResult
    func close(_ fd: Int32) -> Int32
    /// Seconds on CLOCK_MONOTONIC: stall timing and frame timestamps (a fake device
    /// supplies its own time, so stall tests do not wait for real).
    func now() -> Double
}

extension V4L2System {
    public func now() -> Double { MonotonicClock.now() }
}

public enum V4L2PollResult: Sendable, Equatable {
    case ready
    case timeout
    case interrupted
    /// POLLERR: the driver flags an error; the next DQBUF returns it (EIO for a
    /// transient one, ENODEV for an unplugged camera) or a buffer.
    case errorPending
    case failed(Int32)
}

/// The real thing: libv4l2 (which converts MJPEG and vendor formats in user space).
public final class LibV4L2System: V4L2System {
    public init() {}

    public func kind(ofPath path: String) -> V4L2PathKind {
        var st = stat()
        if stat(path, &st) != 0 {
            return errno == ENOENT || errno == ENOTDIR ? .missing : .inaccessible(errno)
        }
        switch st.st_mode & S_IFMT {
        case S_IFCHR:
            let major = UInt32(rc_dev_major(st.st_rdev))
            return major == RC_VIDEO4LINUX_MAJOR ? .characterDevice : .otherCharacterDevice(major: major)
        case S_IFDIR: return .directory
        case S_IFREG: return .regularFile
        default: return .other
        }
    }

    public func open(_ path: String) -> (fd: Int32, error: Int32) {
        let fd = Glibc.open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        return fd >= 0 ? (fd, 0) : (-1, errno)
    }

    public func enableConversion(_ fd: Int32) -> Int32 {
        // libv4l2 passes calls on descriptors it does not know straight to the kernel.
        v4l2_fd_open(fd, 0) == fd ? 0 : errno
    }

    public func ioctl(_ fd: Int32, _ request: UInt, _ arg: UnsafeMutableRawPointer) -> Int32 {
        while true {
            if rc_v4l2_ioctl(fd, request, arg) == 0 { return 0 }
            if errno != EINTR { return errno }
        }
    }

    public func mmap(fd: Int32, length: Int, offset: Int) -> (address: UnsafeMutableRawPointer?, error: Int32) {
        let p = v4l2_mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, Int64(offset))
        if p == nil || rc_is_map_failed(p) != 0 { return (nil, errno) }
        return (p, 0)
    }

    public func munmap(_ address: UnsafeMutableRawPointer, length: Int) -> Int32 {
        v4l2_munmap(address, length) == 0 ? 0 : errno
    }

    public func poll(_ fd: Int32, timeoutMilliseconds: Int32) -> V4L2PollResult {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let rc = Glibc.poll(&p, 1, timeoutMilliseconds)
        if rc < 0 { return errno == EINTR ? .interrupted : .failed(errno) }
        if rc == 0 { return .timeout }
        if p.revents & Int16(POLLIN) != 0 { return .ready }
        if p.revents & Int16(POLLHUP) != 0 { return .failed(ENODEV) }
        if p.revents & Int16(POLLNVAL) != 0 { return .failed(EBADF) }
        return .errorPending
    }

    public func close(_ fd: Int32) -> Int32 {
        v4l2_close(fd) == 0 ? 0 : errno
    }
}
