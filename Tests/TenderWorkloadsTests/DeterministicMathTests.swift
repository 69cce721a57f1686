import Foundation
import Testing
import TenderWorkloads

/// Relative error measured in ulps of the reference.
private func ulpError(_ value: Float, _ reference: Double) -> Double {
    let ulp = Double(Float(reference).ulp)
    return abs(Double(value) - reference) / ulp
}

@Suite("Deterministic exp, log and tanh")
struct DeterministicMathTests {
    /// 20,001 points across `range`, endpoints included.
    private func sweep(_ range: ClosedRange<Float>) -> [Float] {
        (0...20_000).map { range.lowerBound + (range.upperBound - range.lowerBound) * Float($0) / 20_000 }
    }

    @Test("exp is within 2 ulp of Foundation across its finite range")
    func expAccuracy() {
        var worst = 0.0
        for x in sweep(-87...88) + sweep(-1...1) {
            worst = max(worst, ulpError(DeterministicMath.exp(x), Foundation.exp(Double(x))))
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
    }

    @Test("log is within 2 ulp of Foundation from tiny to huge inputs")
    func logAccuracy() {
        var worst = 0.0
        var inputs = sweep(0.001...10) + sweep(0.5...2)
        inputs += (-120...120).map { Float(Foundation.pow(2.0, Double($0) / 2)) }
        for x in inputs {
            worst = max(worst, ulpError(DeterministicMath.log(x), Foundation.log(Double(x))))
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
    }

    @Test("tanh is within 3e-7 absolute and 4 ulp of Foundation")
    func tanhAccuracy() {
        var worstAbsolute = 0.0
        var worstUlp = 0.0
        for x in sweep(-12...12) + sweep(-0.7...0.7) {
            let reference = Foundation.tanh(Double(x))
            let value = DeterministicMath.tanh(x)
            worstAbsolute = max(worstAbsolute, abs(Double(value) - reference))
            if abs(reference) > 1e-30 { worstUlp = max(worstUlp, ulpError(value, reference)) }
        }
        #expect(worstAbsolute <= 3e-7, "worst absolute error \(worstAbsolute)")
        #expect(worstUlp <= 4, "worst error \(worstUlp) ulp")
    }

    @Test("special values follow IEEE conventions")
    func specialValues() {
        #expect(DeterministicMath.exp(0) == 1)
        #expect(DeterministicMath.exp(-100) == 0)
        #expect(DeterministicMath.exp(100) == .infinity)
        #expect(DeterministicMath.exp(.nan).isNaN)
        #expect(DeterministicMath.exp(88.7).isFinite)
        #expect(DeterministicMath.log(1) == 0)
        #expect(DeterministicMath.log(0) == -.infinity)
        #expect(DeterministicMath.log(-1).isNaN)
        #expect(DeterministicMath.log(.infinity) == .infinity)
        #expect(DeterministicMath.tanh(0) == 0)
        #expect(DeterministicMath.tanh(20) == 1)
        #expect(DeterministicMath.tanh(-20) == -1)
        #expect(DeterministicMath.tanh(-0.3) == -DeterministicMath.tanh(0.3))
    }

    @Test("pinned bit patterns catch any change to the polynomials")
    func pinnedBits() {
        #expect(DeterministicMath.exp(1).bitPattern == PinnedMath.exp1)
        #expect(DeterministicMath.log(10).bitPattern == PinnedMath.log10)
        #expect(DeterministicMath.tanh(0.5).bitPattern == PinnedMath.tanhHalf)
        #expect(DeterministicMath.tanh(1.5).bitPattern == PinnedMath.tanhOneAndHalf)
    }
}

/// Bit patterns observed once and pinned: a change means every committed root changes too.
enum PinnedMath {
    static let exp1: UInt32 = 1_076_754_516
    static let log10: UInt32 = 1_075_010_958
    static let tanhHalf: UInt32 = 1_055_693_471
    static let tanhOneAndHalf: UInt32 = 1_063_761_868
}
