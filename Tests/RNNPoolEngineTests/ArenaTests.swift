import XCTest
@testable import RNNPoolEngine

final class ArenaTests: XCTestCase {
    func testTracksCurrentPeakAndLayerPeaks() throws {
        let arena = Arena(capBytes: 4096)
        arena.declareLayers(["a", "b"])
        arena.beginFrame()
        arena.enter(0)
        let p = try arena.allocate(Float.self, count: 100)       // 400 → 448 (64-byte aligned)
        XCTAssertEqual(arena.currentBytes, 448)
        arena.enter(1)
        let q = try arena.allocateBytes(1000)                    // → 1024
        XCTAssertEqual(arena.currentBytes, 1472)
        arena.free(p)
        // The footprint stays at q's end: the freed 448 bytes are a hole below it.
        XCTAssertEqual(arena.currentBytes, 1472)
        XCTAssertEqual(arena.liveBytes, 1024)
        XCTAssertEqual(arena.peakBytes, 1472)
        XCTAssertEqual(arena.layerPeaks, [448, 1472])
        arena.free(q)
        XCTAssertEqual(arena.currentBytes, 0)
        XCTAssertEqual(arena.timeline, [0, 448, 1472, 1472, 0])
    }

    func testFreedGapIsReused() throws {
        let arena = Arena(capBytes: 3 * 1024)
        arena.declareLayers(["x"])
        let a = try arena.allocateBytes(1024), b = try arena.allocateBytes(1024)
        _ = try arena.allocateBytes(1024)
        arena.free(a)
        XCTAssertThrowsError(try arena.allocateBytes(1088))      // only a 1024-byte hole
        let c = try arena.allocateBytes(1024)
        XCTAssertEqual(c, a, "first fit puts the new buffer in the freed hole")
        _ = b
    }

    func testOverflowMessageNamesLayerAndBytes() throws {
        let arena = Arena(capBytes: 1024)
        arena.declareLayers(["input", "blocks.2"])
        arena.enter(0)
        _ = try arena.allocateBytes(640)
        arena.enter(1)
        XCTAssertThrowsError(try arena.allocateBytes(512)) { e in
            let o = e as! ArenaOverflowError
            XCTAssertEqual(o.layer, "blocks.2")
            XCTAssertEqual(o.requestedBytes, 512)
            XCTAssertEqual(o.availableBytes, 384)
            XCTAssertEqual(o.missingBytes, 128)
            XCTAssertEqual("\(o)", "arena overflow in layer blocks.2: requested 512 bytes, available 384 bytes, "
                           + "missing 128 bytes (RAM cap 1024 bytes)")
        }
        XCTAssertEqual(arena.currentBytes, 640, "a failed request allocates nothing")
    }
}
