import CV4L2
import XCTest
@testable import FrameIO

/// Format negotiation with a driver that lists its formats and sizes (ENUM_FMT,
/// ENUM_FRAMESIZES): the requested size first, then the device's own formats.
final class V4L2FormatNegotiationTests: XCTestCase {
    let mjpeg: UInt32 = RC_V4L2_PIX_FMT_MJPEG
    let h264: UInt32 = 0x3436_3248   // "H264"

    private func open(_ fake: FakeV4L2Device, width: Int = 640, height: Int = 480) throws -> V4L2Camera {
        try V4L2Camera(devicePath: "/dev/video3", width: width, height: height, fps: nil, system: fake)
    }

    func testMJPEGAtTheRequestedSizeBeatsYUYVOnlyAtSmallerSizes() throws {
        let fake = FakeV4L2Device()
        // A common USB webcam: raw YUYV only up to 320x240 (USB bandwidth), MJPEG up to
        // 1280x720, which libv4l2 offers as YU12.
        fake.offered = [(RC_V4L2_PIX_FMT_YUYV, false, [(160, 120), (320, 240)]),
                        (mjpeg, false, [(640, 480), (1280, 720)]),
                        (RC_V4L2_PIX_FMT_YUV420, true, [(640, 480), (1280, 720)])]
        let cam = try open(fake)
        XCTAssertEqual(cam.pixelFormatName, "YU12")
        XCTAssertEqual(cam.width, 640)
        XCTAssertEqual(cam.height, 480)
        XCTAssertEqual(fake.log.filter { $0.hasPrefix("S_FMT") }, ["S_FMT YU12"], "asked once, for the right one")
        cam.close()
    }

    func testTheDevicesOwnFormatBeatsAConvertedOneAtTheSameSize() throws {
        let fake = FakeV4L2Device()
        fake.offered = [(mjpeg, false, [(640, 480)]), (RC_V4L2_PIX_FMT_YUV420, true, [(640, 480)]),
                        (RC_V4L2_PIX_FMT_YUYV, false, [(640, 480)])]
        let cam = try open(fake)
        XCTAssertEqual(cam.pixelFormatName, "YUYV")
        cam.close()
    }

    func testWithoutTheRequestedSizeTheClosestOfferedSizeIsAskedFor() throws {
        let fake = FakeV4L2Device()
        fake.offered = [(RC_V4L2_PIX_FMT_YUYV, false, [(320, 240), (800, 600), (1920, 1080)])]
        let cam = try open(fake)
        XCTAssertEqual(cam.width, 800, "800x600 is 172,800 pixels from 640x480; 320x240 is 230,400")
        XCTAssertEqual(cam.height, 600)
        cam.close()
    }

    func testAFormatTheDriverThenRefusesFallsBackToTheNext() throws {
        let fake = FakeV4L2Device()
        fake.offered = [(RC_V4L2_PIX_FMT_GREY, false, [(640, 480)]), (RC_V4L2_PIX_FMT_YUYV, false, [(640, 480)])]
        fake.answerFormat = { f, w, h in f == RC_V4L2_PIX_FMT_GREY ? .refuse(EINVAL) : .settle(f, w, h, 0) }
        let cam = try open(fake)
        XCTAssertEqual(cam.pixelFormatName, "YUYV")
        XCTAssertEqual(fake.log.filter { $0.hasPrefix("S_FMT") }, ["S_FMT GREY", "S_FMT YUYV"])
        cam.close()
    }

    func testNothingReadableNamesWhatTheDeviceOffers() {
        let fake = FakeV4L2Device()
        fake.offered = [(h264, false, [(1920, 1080)])]
        XCTAssertThrowsError(try open(fake)) { e in
            let err = e as! FrameSourceError
            XCTAssertEqual(err.kind, .noUsableFormat)
            XCTAssertTrue(err.description.hasPrefix("/dev/video3: no usable format (it offers H264;"), err.description)
            XCTAssertFalse(err.description.contains("\n"))
        }
        XCTAssertTrue(fake.isTornDown)
    }

    func testClosestSizeRules() {
        let list = FrameSizes.discrete([.init(width: 320, height: 240), .init(width: 1280, height: 720)])
        XCTAssertEqual(list.closest(toWidth: 320, height: 240), .init(width: 320, height: 240))
        XCTAssertEqual(list.closest(toWidth: 640, height: 480), .init(width: 320, height: 240),
                       "230,400 pixels away against 614,400")
        let range = FrameSizes.stepwise(minWidth: 16, maxWidth: 1920, stepWidth: 16, minHeight: 16, maxHeight: 1080,
                                        stepHeight: 8)
        XCTAssertEqual(range.closest(toWidth: 650, height: 485), .init(width: 640, height: 480))
        XCTAssertEqual(range.closest(toWidth: 4000, height: 4000), .init(width: 1920, height: 1080))
        XCTAssertEqual(FrameSizes.unknown.closest(toWidth: 640, height: 480), .init(width: 640, height: 480))
    }
}
