import Foundation
import XCTest

/// `scripts/instruction_costs.sh`, the developers' measure of the instruction costs that
/// decide the engine's kernel forms on this CPU (issue 22, docs/BENCHMARKS.md): it must
/// build with the toolchain's clang and print a figure for every instruction the CPU has.
/// No figure is compared with a target (the machines are shared and noisy: benchmarks,
/// not tests, judge speed), only that each is a measurement.
final class InstructionCostsTests: XCTestCase {
    func testEveryInstructionTheCPUHasGetsAMeasuredCost() throws {
        #if !arch(x86_64)
        throw XCTSkip("instruction_costs measures x86-64 instructions")
        #else
        let run = try BinaryRunner.tool("/bin/bash", [BinaryRunner.repoRoot + "/scripts/instruction_costs.sh"],
                                        environment: ["CORE": "0"])
        let text = String(decoding: run.stdout, as: UTF8.self)
        XCTAssertEqual(run.status, 0, "instruction_costs failed:\n\(text)\n\(run.stderr)")
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.contains("family") == true, "the CPU model comes first: \(text)")

        // The clock (TSC ticks a cycle) is a positive number.
        let clock = lines.first { $0.hasPrefix("TSC ticks a core cycle:") }
        let ticks = clock.flatMap { Double($0.split(separator: " ").dropFirst(5).first ?? "") }
        XCTAssertNotNil(ticks, "no clock line: \(text)")
        XCTAssertGreaterThan(ticks ?? 0, 0)

        // Table rows: "| name | figure | …": a positive number, or "(no FEATURE)" where the
        // CPU lacks it. AVX2 and FMA are on every machine this project builds for.
        var rows: [String: String] = [:]
        for line in lines where line.hasPrefix("| v") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2 else { continue }
            if rows[cells[0]] == nil { rows[cells[0]] = cells[1] }
        }
        for name in ["vfmadd231ps ymm", "vdivps ymm", "vpmaddwd ymm", "vpmaddwd + vpaddd ymm", "vfmadd231ps zmm",
                     "vpdpbusd zmm", "vpdpwssd zmm"] {
            let figure = try XCTUnwrap(rows[name], "no row for \(name): \(text)")
            if figure.hasPrefix("(no ") { continue }
            XCTAssertGreaterThan(Double(figure) ?? 0, 0, "\(name): \(figure)")
        }
        for name in ["vfmadd231ps ymm", "vdivps ymm", "vpmaddwd ymm"] {
            XCTAssertNotNil(Double(rows[name] ?? ""), "\(name) must be measured on an AVX2 machine: \(text)")
        }
        #endif
    }
}
