import XCTest
@testable import RNNPoolEngine

/// A detector that is dropped frees everything it made: its arena (the RAM-cap block)
/// and its whole stage graph. A library user making a detector per camera or per
/// model must not leak one of each every time.
final class DetectorLifetimeTests: XCTestCase {
    func testDroppingADetectorFreesItsArenaAndStages() throws {
        let model = try RNNPoolModel.load(path: Fixtures.path("random-model"))
        weak var arena: Arena?
        weak var network: StreamingNetwork?
        weak var pool: RNNPoolStage?
        weak var stem: StemStage?
        weak var lastBlock: BlockStage?
        weak var head: HeadStage?
        do {
            let detector = try RNNPoolDetector(model: model, ramCapBytes: 256 * 1024)
            let frame = [UInt8](repeating: 100, count: 64 * 48)
            _ = try frame.withUnsafeBufferPointer { try detector.detect(luma: $0, width: 64, height: 48, threshold: 0.5) }
            arena = detector.arena
            network = detector.network
            pool = detector.network.pool
            stem = detector.network.stem
            lastBlock = detector.network.blocks.last
            head = detector.network.heads.first
            XCTAssertNotNil(arena)
        }
        XCTAssertNil(arena, "the arena outlived its detector")
        XCTAssertNil(network, "the network outlived its detector")
        XCTAssertNil(pool, "the RNNPool stage outlived its detector")
        XCTAssertNil(stem, "the stem stage outlived its detector")
        XCTAssertNil(lastBlock, "a block stage outlived its detector")
        XCTAssertNil(head, "a head stage outlived its detector")
    }
}
