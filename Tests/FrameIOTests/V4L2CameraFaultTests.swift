import CV4L2
import Glibc
import XCTest
@testable import FrameIO

/// A faulty camera, through the fake driver: broken buffers, EIO runs, interlaced
/// sources, empty buffers, odd widths, stop requests during waits, mixed timestamps.
final class V4L2CameraFaultTests: XCTestCase {
    let device = "/dev/video7"

    override func tearDown() {
        StopRequest.reset()   // process-wide: never leak a stop into other tests
        super.tearDown()
    }

    private func open(_ fake: FakeV4L2Device, width: Int = 2, height: Int = 1) throws -> V4L2Camera {
        try V4L2Camera(devicePath: device, width: width, height: height, fps: nil, system: fake)
    }

    /// Expects the stall error after 5 s of device time (150 buffers at 30 fps, give or
    /// take one for rounding), counting the buffers as `kind`.
    private func expectStall(_ cam: V4L2Camera, counting kind: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try cam.nextFrame(), file: file, line: line) { error in
            let e = error as! FrameSourceError
            XCTAssertEqual(e.kind, .timeout, file: file, line: line)
            let prefix = "\(device): no usable frame for 5 seconds, only broken buffers: "
            XCTAssertTrue(e.description.hasPrefix(prefix), e.description, file: file, line: line)
            let count = e.description.dropFirst(prefix.count).prefix { $0.isNumber }
            XCTAssertTrue((149...151).contains(Int(count) ?? 0), e.description, file: file, line: line)
            XCTAssertTrue(e.description.contains("\(count) \(kind);"), e.description, file: file, line: line)
        }
    }

    /// Expects the next call to end capture with `kind`, its message saying `words`.
    private func expectEnd(_ cam: V4L2Camera, _ kind: FrameSourceError.Kind, saying words: String,
                           file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try cam.nextFrame(), file: file, line: line) { e in
            XCTAssertEqual((e as? FrameSourceError)?.kind, kind, file: file, line: line)
            XCTAssertTrue("\(e)".contains(words), "\(e)", file: file, line: line)
        }
    }

    // 1. Damaged and short buffers count toward the stall timeout.

    func testOnlyDamagedBuffersEndInAStallErrorThatSaysSo() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake)
        fake.script = Array(repeating: .damagedFrame([9, 9]), count: 1000)
        expectStall(cam, counting: "damaged (V4L2_BUF_FLAG_ERROR)")
        XCTAssertTrue(fake.isTornDown)
        XCTAssertFalse(fake.doubleQueued)
    }

    func testOnlyShortBuffersEndInAStallErrorThatSaysSo() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake)
        fake.script = Array(repeating: .frame([1]), count: 1000)   // 1 of the 2 bytes a row needs
        expectStall(cam, counting: "short")
    }

    func testAStopRequestEndsAStreamOfBrokenBuffers() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake)
        fake.script = [.damagedFrame([9, 9]), .frame([1]), .stopRequest] + Array(repeating: .damagedFrame([9, 9]), count: 100)
        XCTAssertNil(try cam.nextFrame(), "a stop ends the source")
        XCTAssertEqual(fake.script.count, 100, "stopped at the request, not after the broken buffers")
    }

    // 2. libv4l2's messages are collected while the UI owns the screen.

    func testLibv4l2MessagesAreCollectedAndComeBackPrintable() {
        LibV4L2Messages.collect()
        let log = rc_v4l2_log_file()
        XCTAssertNotNil(log, "libv4l2 writes to our file, not stderr")
        fputs("libv4l2: error decompressing JPEG\n", log)
        fputs("libv4l2: error decompressing JPEG\n", log)
        fputs("odd \u{1B}[2J bytes\n", log)
        XCTAssertEqual(LibV4L2Messages.release(), ["libv4l2: error decompressing JPEG", "odd \\x1B[2J bytes"])
        XCTAssertNil(rc_v4l2_log_file(), "stderr again once released")
        XCTAssertEqual(LibV4L2Messages.release(), [])
    }

    // 3. EIO is transient for a few tries; POLLERR is read through DQBUF.

    func testPOLLERRWithATransientEIOIsSkippedLikeAnyEIO() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake)
        fake.script = [.pollError, .dequeueError(EIO), .pollError, .dequeueError(EIO), .frame([7, 8])]
        XCTAssertEqual(try cam.nextFrame()?.luma, [7, 8])
    }

    func testPOLLERRFromAnUnpluggedCameraSaysUnplugged() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake)
        fake.script = [.frame([1, 1]), .pollError, .dequeueError(ENODEV)]
        XCTAssertNotNil(try cam.nextFrame())
        expectEnd(cam, .deviceLost, saying: "device unplugged (ENODEV); stopped cleanly after 1 frame")
        XCTAssertTrue(fake.isTornDown)
    }

    func testPOLLERRWithNothingToDequeueCountsAsAnIOError() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake)
        fake.script = Array(repeating: .pollError, count: V4L2Camera.ioErrorsInARowAllowed + 1)
            .flatMap { [$0, .unconvertible] }
        expectEnd(cam, .deviceLost, saying: "I/O error from the device")
    }

    func testFramesLibV4L2CannotConvertAreNamedInTheStallMessage() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake)
        fake.script = Array(repeating: .unconvertible, count: 1000)
        expectStall(cam, counting: "not converted by libv4l2 (EAGAIN)")
    }

    func testAFrameWhoseBufferCannotBeQueuedAgainIsStillDelivered() throws {
        let fake = FakeV4L2Device()
        fake.qbufFailsAfter = (4, EINVAL)   // the 4 initial QBUFs succeed, the first requeue fails
        let cam = try open(fake)
        fake.script = [.frame([5, 6]), .frame([7, 8])]
        XCTAssertEqual(try cam.nextFrame()?.luma, [5, 6], "the converted frame is not lost")
        expectEnd(cam, .deviceFailed, saying: "cannot queue capture buffer 0 (QBUF:")
        XCTAssertTrue(fake.isTornDown)
    }


    func testAFewEIOsInARowAreSkipped() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake)
        fake.script = Array(repeating: .dequeueError(EIO), count: V4L2Camera.ioErrorsInARowAllowed) + [.frame([7, 8])]
        XCTAssertEqual(try cam.nextFrame()?.luma, [7, 8])
        fake.script = Array(repeating: .dequeueError(EIO), count: V4L2Camera.ioErrorsInARowAllowed + 1)
        XCTAssertThrowsError(try cam.nextFrame()) { error in
            XCTAssertEqual((error as! FrameSourceError).kind, .deviceLost)
        }
    }

    // 4. The field order is asked for and checked.

    func testProgressiveIsRequestedAndFieldPerBufferSourcesAreRefused() throws {
        let fake = FakeV4L2Device()
        _ = try open(fake)
        XCTAssertEqual(fake.requestedField, RC_V4L2_FIELD_NONE)
        for (field, name) in [(RC_V4L2_FIELD_ALTERNATE, "ALTERNATE"), (RC_V4L2_FIELD_TOP, "TOP"), (RC_V4L2_FIELD_SEQ_TB, "SEQ_TB")] {
            let interlaced = FakeV4L2Device()
            interlaced.fieldAnswer = field
            XCTAssertThrowsError(try open(interlaced)) { error in
                let e = error as! FrameSourceError
                XCTAssertEqual(e.kind, .noUsableFormat)
                XCTAssertEqual(e.description, "\(device): unsupported interlaced video (field order \(name)): only progressive or woven-interlaced frames are supported")
            }
            XCTAssertTrue(interlaced.isTornDown)
        }
        for field in [RC_V4L2_FIELD_ANY, RC_V4L2_FIELD_INTERLACED, RC_V4L2_FIELD_INTERLACED_TB] {
            let woven = FakeV4L2Device()
            woven.fieldAnswer = field
            XCTAssertNoThrow(try open(woven), "field \(field) delivers whole frames")
        }
    }

    func testAnAbsurdSizeFromTheDriverIsRefusedNotMultiplied() {
        let fake = FakeV4L2Device()
        fake.answerFormat = { f, _, _ in .settle(f, 1 << 31, 1 << 31, 0) }
        XCTAssertThrowsError(try open(fake)) { error in
            XCTAssertEqual("\(error)", "\(device): the driver settled on 2147483648x2147483648, above the 16384x16384 limit")
        }
        XCTAssertTrue(fake.isTornDown)
    }

    // 5. bytesused == 0 is an empty buffer, not a whole frame.

    func testEmptyBuffersAreSkippedAndCounted() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake)
        fake.script = [.emptyBuffer, .frame([3, 4])]
        XCTAssertEqual(try cam.nextFrame()?.luma, [3, 4], "the empty buffer was not taken as a frame")
        fake.script = Array(repeating: .emptyBuffer, count: 1000)
        expectStall(cam, counting: "empty")
    }

    // 6. Odd widths convert correctly and within the buffer.

    func testOddWidthYUYVKeepsTheLastPixelAndReadsNothingPastTheRow() throws {
        let fake = FakeV4L2Device()
        fake.answerFormat = { _, _, _ in .settle(RC_V4L2_PIX_FMT_YUYV, 3, 2, 6) }
        let cam = try open(fake, width: 3, height: 2)
        XCTAssertEqual(fake.bufferBytes, 12, "exactly 3 pixels x 2 bytes x 2 rows")
        // Row: Y0 U Y1 V Y2 U' (the last pair is cut after its Cb).
        fake.script = [.frame([10, 100, 20, 200, 30, 110,
                               40, 101, 50, 201, 60, 111])]
        let f = try XCTUnwrap(cam.nextFrame())
        XCTAssertEqual(f.luma, [10, 20, 30, 40, 50, 60])
        XCTAssertEqual(f.chroma?.width, 2)
        XCTAssertEqual(f.chroma?.cb, [100, 110, 101, 111])
        XCTAssertEqual(f.chroma?.cr, [200, 200, 201, 201], "the cut pair repeats the Cr before it")
    }

    func testOddWidthYU12UsesWholeChromaRows() throws {
        let fake = FakeV4L2Device()
        fake.answerFormat = { _, _, _ in .settle(RC_V4L2_PIX_FMT_YUV420, 3, 2, 3) }
        let cam = try open(fake, width: 3, height: 2)
        XCTAssertEqual(fake.bufferBytes, 6 + 2 * 2, "luma 3x2, then Cb and Cr rows of (3 + 1) / 2 samples")
        fake.script = [.frame([1, 2, 3, 4, 5, 6, 70, 71, 80, 81])]
        let f = try XCTUnwrap(cam.nextFrame())
        XCTAssertEqual(f.luma, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(f.chroma?.cb, [70, 71])
        XCTAssertEqual(f.chroma?.cr, [80, 81])
    }

    // 7. Waits are interruptible; one clock for timestamps.

    func testAStallWaitEndsAtOnceOnAStopRequest() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake)
        fake.script = [.pollTimeout, .pollTimeout, .stopRequest]
        XCTAssertNil(try cam.nextFrame())
        XCTAssertLessThanOrEqual(fake.pollTimeouts.max() ?? 0, 100, "no poll waits longer than 0.1 s")
        XCTAssertLessThan(fake.pollTimeouts.count, 10)
        XCTAssertFalse(fake.isTornDown, "a stop is not an error: the caller closes")
    }

    func testTimestampsComeFromOneClockWhateverTheDriverStamps() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake)
        // A driver that stamps some buffers on another clock (COPY, a wall-clock epoch)
        // and leaves others unstamped: every frame is timed on the monotonic clock.
        fake.driverStamps = [(1_700_000_000, RC_V4L2_BUF_FLAG_TIMESTAMP_COPY), (0, 0),
                             (1_700_000_000.066, RC_V4L2_BUF_FLAG_TIMESTAMP_COPY), (0, 0)]
        fake.script = (0..<4).map { _ in .frame([1, 2]) }
        let stamps = try (0..<4).map { _ in try XCTUnwrap(cam.nextFrame()).timestamp }
        for (i, t) in stamps.enumerated() {
            XCTAssertEqual(t, Double(i) * FakeV4L2Device.frameSeconds, accuracy: 1e-6, "frame \(i): \(stamps)")
        }
    }

    func testMonotonicDriverStampsAreUsed() throws {
        let fake = FakeV4L2Device()
        let cam = try open(fake)
        // Captured 5 ms before each dequeue, on CLOCK_MONOTONIC (the clock the fake's now() reads).
        fake.driverStamps = (1...3).map { (100 + Double($0) / 30 - 0.005, RC_V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC) }
        fake.script = (0..<3).map { _ in .frame([1, 2]) }
        let stamps = try (0..<3).map { _ in try XCTUnwrap(cam.nextFrame()).timestamp }
        XCTAssertEqual(stamps[0], 0)
        XCTAssertEqual(stamps[2], 2.0 / 30, accuracy: 1e-5)
    }
}
