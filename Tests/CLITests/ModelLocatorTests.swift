import Foundation
import XCTest
@testable import rnnpool_cam

/// Where the command line finds the model file when none is named.
final class ModelLocatorTests: XCTestCase {
    func testLocatorPrefersEnvironmentThenSearchesUpwards() throws {
        let root = NSTemporaryDirectory() + "locator-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/assets/models", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/a/b/c", withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: root) }
        let model = root + "/assets/models/rnnpool-face.rpm"
        XCTAssertNil(ModelLocator.defaultModelPath(environment: [:], executablePath: root + "/a/b/c/exe",
                                                   currentDirectory: root + "/a/b"))
        XCTAssertTrue(fm.createFile(atPath: model, contents: Data([1])))
        XCTAssertEqual(ModelLocator.defaultModelPath(environment: [:], executablePath: root + "/a/b/c/exe",
                                                     currentDirectory: "/"), model)
        XCTAssertEqual(ModelLocator.defaultModelPath(environment: [:], executablePath: nil,
                                                     currentDirectory: root + "/a"), model)
        XCTAssertEqual(ModelLocator.defaultModelPath(environment: ["RNNPOOL_CAM_MODEL": "/x/y.rpm"],
                                                     executablePath: nil, currentDirectory: root), "/x/y.rpm")
    }
}
