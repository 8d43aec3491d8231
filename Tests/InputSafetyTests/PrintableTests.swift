import XCTest
import InputSafety

/// Text from a file reaches an error line only as printable, bounded excerpts.
final class PrintableTests: XCTestCase {
    func testControlBytesAndEscapesBecomeVisible() {
        let text = Printable.excerpt(bytes: [UInt8]("model\n".utf8) + [0x1B] + Array("[31mRED".utf8) + [0, 0x7F])
        XCTAssertEqual(text, "model\\x0A\\x1B[31mRED\\x00\\x7F")
    }

    func testInvalidUTF8AndInvisibleCharactersAreEscaped() {
        XCTAssertEqual(Printable.excerpt(bytes: [0x41, 0xFF, 0x42]), "A\\u{FFFD}B")
        // A right-to-left override would reorder the rest of the terminal line.
        XCTAssertEqual(Printable.excerpt("a\u{202E}b"), "a\\u{202E}b")
        XCTAssertEqual(Printable.excerpt("café"), "café")
    }

    func testLongTextIsCutWithAnEllipsis() {
        let text = Printable.excerpt(String(repeating: "x", count: 500), limit: 10)
        XCTAssertEqual(text, String(repeating: "x", count: 10) + "…")
        XCTAssertEqual(Printable.excerpt("short", limit: 10), "short")
    }
}

/// Products of file-derived sizes report overflow instead of trapping.
final class CheckedArithmeticTests: XCTestCase {
    func testProductsThatOverflowAreNil() {
        XCTAssertEqual(Checked.product(16384, 16384, 4), 1 << 30)
        XCTAssertNil(Checked.product(Int.max, 2))
        XCTAssertNil(Checked.product(1 << 31, 1 << 31, 4))
        XCTAssertNil(Checked.product(3, -1))
        XCTAssertNil(Checked.sum(Int.max, 1))
    }

    func testDoubleToIntConversionRefusesWhatWouldTrap() {
        XCTAssertEqual(Checked.int(2.9, in: 0...10), 2)
        XCTAssertNil(Checked.int(9.3e18, in: 0...Int.max))
        XCTAssertNil(Checked.int(.nan, in: 0...10))
        XCTAssertNil(Checked.int(.infinity, in: 0...Int.max))
    }
}
