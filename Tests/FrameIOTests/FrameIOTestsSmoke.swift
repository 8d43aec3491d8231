import XCTest

final class FrameIOTestsSmoke: XCTestCase {
    func testTargetBuilds() {}
}
