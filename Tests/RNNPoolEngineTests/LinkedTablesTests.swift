import XCTest
@testable import RNNPoolEngine

/// The flash blob the Cortex-M4 firmware runs from (`rnnpool-cam m4-image`): float and
/// int8 tables read back in place, and the DSP kernel's int8 expand layout.
final class LinkedTablesTests: XCTestCase {
    func testFloatAndInt8TablesReadBackInOrder() {
        let bytes: [Int8] = [1, -2, 127, -127, 5]   // 5 bytes: padded to 8 in the blob
        let blob = LinkedTables.blob([.floats(FloatBuffer([1.5, -2])), .bytes(bytes), .floats(FloatBuffer([7]))])
        XCTAssertEqual(blob.count, 4 + 8 + 4 + 8 + 4 + 4)
        blob.withUnsafeBytes { raw in
            var r = LinkedTables(base: raw.baseAddress!, byteCount: raw.count)
            let first = r.next(2)
            XCTAssertEqual([first.p[0], first.p[1]], [1.5, -2])
            let int8 = r.nextBytes(5)
            XCTAssertEqual((0..<5).map { int8[$0] }, bytes)
            XCTAssertEqual(r.next(1).p[0], 7)
            XCTAssertTrue(r.atEnd)
        }
    }

    /// Per group of 16 expanded channels, per channel, its cin weights padded to 4 with
    /// zeros: what `m4_expand16_int8` reads with SXTB16 (scripts/m4/dsp_kernels.c).
    func testInt8ExpandTableIsGroupThenChannelThenPaddedInputs() {
        let cin = 5, mp = 32
        var integers = [Float](repeating: 0, count: cin * mp)
        for c in 0..<cin { for m in 0..<mp { integers[c * mp + m] = Float((c * 7 + m * 3) % 255 - 127) } }
        let table = MBConvRowKernel.int8ExpandTable(integers: FloatBuffer(integers), cin: cin, midPadded: mp)
        XCTAssertEqual(table.count, mp * 8)
        for m in 0..<mp {
            for c in 0..<8 {
                XCTAssertEqual(table[m * 8 + c], c < cin ? Int8(integers[c * mp + m]) : 0, "channel \(m), input \(c)")
            }
        }
    }
}
