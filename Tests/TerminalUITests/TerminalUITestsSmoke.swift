import XCTest

final class TerminalUITestsSmoke: XCTestCase {
    func testTargetBuilds() {}
}
