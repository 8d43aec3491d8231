import XCTest

final class RNNPoolEngineTestsSmoke: XCTestCase {
    func testTargetBuilds() {}
}
