import XCTest
@testable import TerminalUI

/// The benchmark's shape, not its speed (timings are `bench`'s job, never a test's).
final class RenderBenchmarkTests: XCTestCase {
    func testReportsBothStandardSizesAndModes() {
        let report = RenderBenchmark.run(frames: 3)
        XCTAssertEqual(report.measurements.count, 8)
        XCTAssertEqual(Set(report.measurements.map { "\($0.columns)x\($0.rows)" }), ["120x40", "240x70"])
        XCTAssertEqual(Set(report.measurements.map(\.mode)), [.symbols, .ascii, .halfBlock])
        XCTAssertTrue(report.measurements.allSatisfy { $0.medianMilliseconds > 0 && $0.p90Milliseconds >= $0.medianMilliseconds })
        XCTAssertTrue(report.description.contains("240x70 cells, half-block"))
        XCTAssertTrue(report.measurements.allSatisfy { ($0.paintMedianMilliseconds ?? 0) > 0 },
                      "ncurses paints into an off-screen terminal")
        if ProcessInfo.processInfo.environment["PRINT_RENDER_BENCH"] == "1" {
            print(RenderBenchmark.run(frames: 300))
        }
    }
}
