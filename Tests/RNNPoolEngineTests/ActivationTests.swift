import Foundation
import XCTest
@testable import RNNPoolEngine

final class ActivationTests: XCTestCase {
    func testExpSigmoidTanhMatchLibmAcrossRange() {
        var worstExp = 0.0, worstSig = 0.0, worstTanh = 0.0
        var x: Float = -30
        while x <= 30 {
            let v = SIMD16<Float>((0..<16).map { x + Float($0) * 0.0037 })
            let e = Activations.exp(v), s = Activations.sigmoid(v), t = Activations.tanh(v)
            for i in 0..<16 {
                let d = Double(v[i])
                worstExp = max(worstExp, abs(Double(e[i]) - Foundation.exp(d)) / Foundation.exp(d))
                worstSig = max(worstSig, abs(Double(s[i]) - 1 / (1 + Foundation.exp(-d))))
                worstTanh = max(worstTanh, abs(Double(t[i]) - Foundation.tanh(d)))
            }
            x += 0.05
        }
        XCTAssertLessThan(worstExp, 5e-7, "exp relative error")
        XCTAssertLessThan(worstSig, 2e-7, "sigmoid absolute error")
        XCTAssertLessThan(worstTanh, 3e-7, "tanh absolute error")
    }

    /// The int8 path's power of two: within the 2.9e-6 relative error its comment states,
    /// over the whole range its gates may feed it (|y| ≤ 125).
    func testCompactPowerOfTwoStaysWithinItsStatedError() {
        var worst = 0.0
        var y: Float = -125
        while y <= 125 {
            let v = SIMD16<Float>((0..<16).map { y + Float($0) * 0.00071 })
            let e = Activations.exp2Compact(v)
            for i in 0..<16 {
                let exact = Foundation.exp2(Double(v[i]))
                worst = max(worst, abs(Double(e[i]) - exact) / exact)
            }
            y += 0.0117
        }
        XCTAssertLessThan(worst, 3e-6, "compact power of two: relative error")
        XCTAssertGreaterThan(worst, 1e-6, "it is an approximation: the measurement must see its error")
    }

    func testSaturationWithoutOverflow() {
        let v = SIMD16<Float>(repeating: 1000)
        XCTAssertEqual(Activations.sigmoid(v)[0], 1)
        XCTAssertEqual(Activations.sigmoid(-v)[0], 0, accuracy: 1e-30)
        XCTAssertEqual(Activations.tanh(v)[0], 1)
        XCTAssertEqual(Activations.tanh(-v)[0], -1)
        XCTAssertFalse(Activations.exp(v)[0].isNaN)
    }

    func testReLU6Clamps() {
        let v = SIMD8<Float>(-3, -0.0, 0.5, 5.999, 6, 6.5, 100, 2)
        XCTAssertEqual(relu6(v), SIMD8<Float>(0, 0, 0.5, 5.999, 6, 6, 6, 2))
    }
}
