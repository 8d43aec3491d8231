import CV4L2
import Glibc
import XCTest
@testable import FrameIO

/// The camera state machine driven through a fake driver: negotiation (including driver
/// substitutions), the buffer queue, errors at every step, and teardown on every path.
/// Live capture itself is exercised on real hardware only.
final class V4L2CameraTests: XCTestCase {
    let device = "/dev/video7"

    private func open(_ fake: FakeV4L2Device, width: Int = 320, height: Int = 240, fps: Double? = nil) throws -> V4L2Camera {
        try V4L2Camera(devicePath: device, width: width, height: height, fps: fps, system: fake)
    }

    private func assertFails(_ fake: FakeV4L2Device, _ kind: FrameSourceError.Kind, _ words: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try open(fake), file: file, line: line) { error in
            let e = error as! FrameSourceError
            XCTAssertEqual(e.kind, kind, e.description, file: file, line: line)
            XCTAssertTrue(e.description.hasPrefix("\(device): "), e.description, file: file, line: line)
            XCTAssertTrue(e.description.contains(words), e.description, file: file, line: line)
            XCTAssertFalse(e.description.contains("\n"), file: file, line: line)
        }
        XCTAssertTrue(fake.isTornDown, "left behind: \(fake.log)", file: file, line: line)
    }

    // MARK: Negotiation

    func testGreyAcceptedAsAskedWithPaddedRows() throws {
        let fake = FakeV4L2Device()
        fake.answerFormat = { f, w, h in .settle(f, w, h, w + 16) }   // 16 bytes of row padding
        let cam = try open(fake, width: 4, height: 2)
        XCTAssertEqual(cam.label, "\(device) GREY 4x2")
        XCTAssertTrue(fake.enabledConversion)
        var raw = [UInt8](repeating: 0xEE, count: 20 * 2)
        for x in 0..<4 { raw[x] = UInt8(x + 1); raw[20 + x] = UInt8(x + 11) }
        fake.script = [.frame(raw)]
        let f = try XCTUnwrap(cam.nextFrame())
        XCTAssertEqual(f.luma, [1, 2, 3, 4, 11, 12, 13, 14], "padding is skipped")
        XCTAssertNil(f.chroma)
        XCTAssertEqual(Array(fake.log.filter { $0.hasPrefix("S_FMT") }), ["S_FMT GREY"])
    }

    func testADriverWithoutTryFormatIsAskedWithSetFormatAlone() throws {
        let fake = FakeV4L2Device()
        fake.supportsTryFormat = false
        fake.answerFormat = { f, w, h in
            f == RC_V4L2_PIX_FMT_YUV420 ? .settle(f, w, h, w) : .settle(RC_V4L2_PIX_FMT_MJPEG, w, h, 0)
        }
        let cam = try open(fake, width: 2, height: 2)
        XCTAssertEqual(fake.log.filter { $0.hasPrefix("S_FMT") }, ["S_FMT GREY", "S_FMT YUYV", "S_FMT YU12"])
        XCTAssertEqual(cam.pixelFormatName, "YU12")
        cam.close()
    }

    /// Odd sizes in YU12: libv4l2's `bytesused` may count chroma planes rounded down
    /// (2x1 for a 5x3 picture) rather than up (3x2); both are read, not dropped as short.
    func testOddSizedYU12WithChromaRoundedDownIsRead() throws {
        let fake = FakeV4L2Device()
        fake.answerFormat = { _, _, _ in .settle(RC_V4L2_PIX_FMT_YUV420, 5, 3, 5) }
        let cam = try open(fake, width: 5, height: 3)
        let luma = Array(UInt8(1)...UInt8(15))
        fake.script = [.frame(luma + [70, 71] + [90, 91])]   // Cb 2x1, then Cr 2x1
        let f = try XCTUnwrap(cam.nextFrame(), "not a short buffer")
        XCTAssertEqual(f.luma, luma)
        XCTAssertEqual(f.chroma?.width, 3)
        XCTAssertEqual(f.chroma?.height, 2)
        XCTAssertEqual(f.chroma?.cb, [70, 71, 71, 70, 71, 71], "the last column and row repeated")
        XCTAssertEqual(f.chroma?.cr, [90, 91, 91, 90, 91, 91])
        fake.script = [.frame(luma + [70, 71, 72, 73, 74, 75] + [90, 91, 92, 93, 94, 95])]   // rounded up: 3x2
        let g = try XCTUnwrap(cam.nextFrame())
        XCTAssertEqual(g.chroma?.cb, [70, 71, 72, 73, 74, 75])
        XCTAssertEqual(g.chroma?.cr, [90, 91, 92, 93, 94, 95])
        cam.close()
    }

    func testDriverSubstitutesYUYVAndAnotherSize() throws {
        let fake = FakeV4L2Device()
        fake.answerFormat = { _, _, _ in .settle(RC_V4L2_PIX_FMT_YUYV, 2, 2, 0) }
        let cam = try open(fake, width: 640, height: 480)
        XCTAssertEqual(cam.width, 2)
        XCTAssertEqual(cam.height, 2)
        XCTAssertEqual(cam.pixelFormatName, "YUYV")
        // Y0 U Y1 V per pair, two rows.
        fake.script = [.frame([10, 100, 20, 200, 30, 101, 40, 201])]
        let f = try XCTUnwrap(cam.nextFrame())
        XCTAssertEqual(f.luma, [10, 20, 30, 40])
        XCTAssertEqual(f.chroma?.subsampling, .c422)
        XCTAssertEqual(f.chroma?.cb, [100, 101])
        XCTAssertEqual(f.chroma?.cr, [200, 201])
    }

    func testMJPEGOnlyCameraIsTakenThroughLibv4l2sYU12() throws {
        // Like a UVC camera that only streams MJPEG: GREY and YUYV requests come back as
        // MJPG; the YU12 request is what libv4l2 converts MJPEG into.
        let fake = FakeV4L2Device()
        fake.answerFormat = { f, w, h in
            f == RC_V4L2_PIX_FMT_YUV420 ? .settle(f, w, h, w) : .settle(RC_V4L2_PIX_FMT_MJPEG, w, h, 0)
        }
        let cam = try open(fake, width: 2, height: 2)
        // TRY_FMT finds the substitutes without setting them; S_FMT sets only the one taken.
        XCTAssertEqual(fake.log.filter { $0.hasSuffix("_FMT GREY") || $0.hasSuffix("_FMT YUYV") || $0.hasSuffix("_FMT YU12") },
                       ["TRY_FMT GREY", "TRY_FMT YUYV", "TRY_FMT YU12", "S_FMT YU12"])
        XCTAssertEqual(cam.pixelFormatName, "YU12")
        fake.script = [.frame([1, 2, 3, 4, 50, 60])]
        let f = try XCTUnwrap(cam.nextFrame())
        XCTAssertEqual(f.luma, [1, 2, 3, 4])
        XCTAssertEqual(f.chroma?.cb, [50])
        XCTAssertEqual(f.chroma?.cr, [60])
    }

    func testRGBSubstitutionIsConvertedToLuma() throws {
        let fake = FakeV4L2Device()
        fake.answerFormat = { _, _, _ in .settle(RC_V4L2_PIX_FMT_RGB24, 2, 1, 0) }
        let cam = try open(fake)
        fake.script = [.frame([255, 255, 255, 0, 0, 255])]
        XCTAssertEqual(try cam.nextFrame()?.luma, [255, 29])
    }

    func testNoUsableFormatNamesWhatTheDriverOffers() {
        let fake = FakeV4L2Device()
        fake.answerFormat = { _, w, h in .settle(RC_V4L2_PIX_FMT_MJPEG, w, h, 0) }
        assertFails(fake, .noUsableFormat, "no usable format (asked for GREY, YUYV or YU12 at 320x240; it offers MJPG)")
        XCTAssertFalse(fake.log.contains { $0.hasPrefix("REQBUFS") })
    }

    func testFormatRequestsTheDriverRejectsAreSkipped() throws {
        let fake = FakeV4L2Device()
        fake.answerFormat = { f, w, h in f == RC_V4L2_PIX_FMT_GREY ? .refuse(EINVAL) : .settle(f, w, h, 0) }
        XCTAssertEqual(try open(fake).pixelFormatName, "YUYV")
    }

    func testFrameRateIsRequestedAndReadBack() throws {
        let fake = FakeV4L2Device()
        fake.frameInterval = (1, 15)
        let cam = try open(fake, fps: 15)
        XCTAssertTrue(fake.requestedInterval! == (1000, 15000))
        XCTAssertEqual(cam.nominalFPS, 15)
    }

    // MARK: Buffer queue

    func testBuffersAreMappedQueuedAndCycledThenTornDown() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake, width: 2, height: 1)
        XCTAssertGreaterThanOrEqual(fake.requestedBufferCount, 3)
        XCTAssertEqual(cam.bufferCount, 4)
        XCTAssertEqual(fake.queue, [0, 1, 2, 3], "all buffers queued before STREAMON")
        XCTAssertEqual(fake.log.last, "STREAMON")
        fake.script = (0..<6).map { .frame([UInt8($0), 0]) }
        for i in 0..<6 {
            let f = try XCTUnwrap(cam.nextFrame())
            XCTAssertEqual(f.index, i)
            XCTAssertEqual(f.luma[0], UInt8(i))
        }
        XCTAssertEqual(fake.queue.count, 4, "every dequeued buffer went back")
        XCTAssertFalse(fake.doubleQueued)
        XCTAssertEqual(cam.framesCaptured, 6)
        cam.close()
        XCTAssertTrue(fake.isTornDown)
        XCTAssertEqual(fake.log.suffix(6), ["STREAMOFF", "munmap", "munmap", "munmap", "munmap", "close"])
        cam.close()   // idempotent
        XCTAssertNil(try cam.nextFrame())
    }

    func testDeinitTearsDown() throws {
        let fake = FakeV4L2Device()
        do { _ = try open(fake) }
        XCTAssertTrue(fake.isTornDown)
    }

    func testRetriesOnTimeoutsEAGAINAndDamagedBuffers() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake, width: 2, height: 1)
        fake.script = [.pollTimeout, .pollTimeout, .dequeueError(EAGAIN), .damagedFrame([9, 9]), .frame([7, 8])]
        XCTAssertEqual(try cam.nextFrame()?.luma, [7, 8])
        XCTAssertEqual(fake.queue.count, 4, "the damaged buffer was requeued")
    }

    func testStalledCameraTimesOut() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake)
        fake.script = []   // poll never becomes ready
        XCTAssertThrowsError(try cam.nextFrame()) { error in
            XCTAssertEqual((error as! FrameSourceError).kind, .timeout)
            XCTAssertTrue("\(error)".contains("no frame for 5 seconds"), "\(error)")
        }
        XCTAssertTrue(fake.isTornDown)
    }

    func testUnpluggedMidStreamStopsCleanlyAndCountsFrames() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake, width: 2, height: 1)
        fake.script = [.frame([1, 1]), .frame([2, 2]), .frame([3, 3]), .dequeueError(ENODEV)]
        for _ in 0..<3 { XCTAssertNotNil(try cam.nextFrame()) }
        XCTAssertThrowsError(try cam.nextFrame()) { error in
            let e = error as! FrameSourceError
            XCTAssertEqual(e.kind, .deviceLost)
            XCTAssertEqual(e.description, "\(device): device unplugged (ENODEV); stopped cleanly after 3 frames")
        }
        XCTAssertTrue(fake.isTornDown)
        XCTAssertTrue(fake.log.contains("STREAMOFF"))
        XCTAssertNil(try cam.nextFrame())
    }

    func testHangupWhilePollingIsAnUnplug() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake, width: 2, height: 1)
        fake.script = [.frame([1, 1]), .pollFailure(ENODEV)]
        XCTAssertNotNil(try cam.nextFrame())
        XCTAssertThrowsError(try cam.nextFrame()) { error in
            XCTAssertTrue("\(error)".contains("device unplugged (ENODEV); stopped cleanly after 1 frame"), "\(error)")
        }
        XCTAssertTrue(fake.isTornDown)
    }

    func testEIOMidStreamStopsCleanly() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake, width: 2, height: 1)
        // A few EIOs in a row are transient (V4L2CameraFaultTests); more mean the device is gone.
        fake.script = [.frame([1, 1]), .frame([1, 1])]
            + Array(repeating: .dequeueError(EIO), count: V4L2Camera.ioErrorsInARowAllowed + 1)
        _ = try cam.nextFrame(); _ = try cam.nextFrame()
        XCTAssertThrowsError(try cam.nextFrame()) { error in
            XCTAssertEqual((error as! FrameSourceError).kind, .deviceLost)
            XCTAssertTrue("\(error)".contains("I/O error from the device (Input/output error); stopped cleanly after 2 frames"), "\(error)")
        }
        XCTAssertTrue(fake.isTornDown)
    }

    // MARK: Errors while opening, each with teardown

    func testNoSuchDevice() {
        let fake = FakeV4L2Device()
        fake.pathKind = .missing
        assertFails(fake, .noSuchDevice, "no such device")
        XCTAssertFalse(fake.log.contains("open"))
    }

    func testNotACharacterDevice() {
        for (kind, words) in [(V4L2PathKind.directory, "it is a directory"), (.regularFile, "it is a regular file")] {
            let fake = FakeV4L2Device()
            fake.pathKind = kind
            assertFails(fake, .notACaptureDevice, "not a V4L2 capture device (\(words)")
        }
    }

    func testAnotherKindOfCharacterDeviceIsNeverOpened() {
        let fake = FakeV4L2Device()
        fake.pathKind = .otherCharacterDevice(major: 10)   // /dev/watchdog: opening it arms it
        assertFails(fake, .notACaptureDevice, "not a V4L2 capture device (a character device of major 10")
        XCTAssertFalse(fake.log.contains("open"), "\(fake.log)")
    }

    func testPermissionDeniedSaysHowToJoinTheVideoGroup() {
        let fake = FakeV4L2Device()
        fake.openError = EACCES
        assertFails(fake, .permissionDenied, "permission denied; join the video group (sudo usermod -aG video $USER)")
    }

    func testBusyAtEveryStepThatCanBeBusy() {
        for step in ["open", "S_FMT", "REQBUFS", "STREAMON"] {
            let fake = FakeV4L2Device()
            if step == "open" { fake.openError = EBUSY } else { fake.failing[step] = EBUSY }
            assertFails(fake, .deviceBusy, "device busy (another program is using the camera")
        }
    }

    func testNotAV4L2Device() {
        let fake = FakeV4L2Device()
        fake.queryCapError = ENOTTY
        assertFails(fake, .notACaptureDevice, "does not answer VIDIOC_QUERYCAP")
        XCTAssertFalse(fake.enabledConversion, "libv4l2 never sees a non-V4L2 descriptor")
    }

    func testDeviceWithoutVideoCaptureOrStreaming() {
        let output = FakeV4L2Device()
        output.capabilities = RC_V4L2_CAP_STREAMING   // e.g. an output or metadata node
        assertFails(output, .notACaptureDevice, "\"Fake Cam\" has no single-planar video capture")
        let readOnly = FakeV4L2Device()
        readOnly.capabilities = RC_V4L2_CAP_VIDEO_CAPTURE
        assertFails(readOnly, .notACaptureDevice, "does not support streaming I/O")
    }

    func testTooFewBuffersAndFailedMappingsAreUndone() {
        let few = FakeV4L2Device()
        few.grantedBuffers = 1
        assertFails(few, .deviceFailed, "granted 1 capture buffers")
        let mapFails = FakeV4L2Device()
        mapFails.mmapFailsAtBuffer = 2
        assertFails(mapFails, .deviceFailed, "cannot map capture buffer 2")
        XCTAssertEqual(mapFails.log.filter { $0 == "munmap" }.count, 2, "the two mapped buffers were unmapped")
    }

    func testUnpluggedDuringSetup() {
        let fake = FakeV4L2Device()
        fake.failing["STREAMON"] = ENODEV
        assertFails(fake, .deviceLost, "device unplugged (ENODEV); stopped cleanly after 0 frames")
    }

    func testUSBBandwidthExhaustedReadsAsBusy() {
        let fake = FakeV4L2Device()
        fake.failing["STREAMON"] = ENOSPC
        assertFails(fake, .deviceBusy, "not enough USB bandwidth")
    }
}

/// The same checks against real paths through libv4l2 (no camera needed).
final class V4L2CameraRealPathTests: XCTestCase {
    private func assertFails(_ path: String, _ kind: FrameSourceError.Kind, _ words: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try V4L2Camera(devicePath: path, width: 320, height: 240, fps: nil), file: file, line: line) { error in
            let e = error as! FrameSourceError
            XCTAssertEqual(e.kind, kind, e.description, file: file, line: line)
            XCTAssertTrue(e.description.hasPrefix("\(path): "), e.description, file: file, line: line)
            XCTAssertTrue(e.description.contains(words), e.description, file: file, line: line)
        }
    }

    func testDevNullIsNotACaptureDevice() {
        assertFails("/dev/null", .notACaptureDevice, "not a V4L2 capture device")
    }

    func testDirectoryRegularFileAndMissingDevice() throws {
        let files = TestFiles()
        assertFails(files.directory, .notACaptureDevice, "it is a directory")
        assertFails(files.write("plain.bin", "hello"), .notACaptureDevice, "it is a regular file")
        assertFails("/dev/video9", .noSuchDevice, "no such device")
    }
}
