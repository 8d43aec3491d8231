import XCTest

final class CLITestsSmoke: XCTestCase {
    func testTargetBuilds() {}
}
