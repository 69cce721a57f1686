import Foundation
import Testing
import TenderWorkloads

/// Values with many significant bits, so any change in the order of operations shows.
private func matrix(_ count: Int, salt: UInt64) -> [Float] {
    let random = CounterRandom(seed: salt)
    return (0..<count).map { random.unit(.weightInit, step: 0, counter: UInt64($0)) * 2 - 1 }
}

/// The documented order, written as plainly as possible: sum over p ascending from zero.
private func reference(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
    var out = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k { sum = sum + a[i * k + p] * b[p * n + j] }
            out[i * n + j] = sum
        }
    }
    return out
}

private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

@Suite("Deterministic kernels")
struct KernelTests {
    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (1, 5, 7), (3, 4, 8), (4, 9, 16), (5, 17, 23), (7, 3, 33), (9, 64, 10), (8, 31, 40), (13, 2, 17), (4, 0, 8),
    ]

    @Test("SIMD and scalar matmul give the documented sum bit for bit", arguments: shapes)
    func matmulPathsAgree(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        let a = matrix(m * k, salt: 1), b = matrix(k * n, salt: 2)
        let expected = bits(reference(a, b, m: m, k: k, n: n))
        #expect(bits(Kernels.matmul(a, b, m: m, k: k, n: n, path: .simd)) == expected)
        #expect(bits(Kernels.matmul(a, b, m: m, k: k, n: n, path: .scalar)) == expected)
    }

    @Test("the transposed-A product equals the product with an explicit transpose", arguments: shapes)
    func transposedA(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        let stored = matrix(k * m, salt: 3), b = matrix(k * n, salt: 4)
        let explicit = Kernels.transpose(stored, rows: k, cols: m)
        let expected = bits(reference(explicit, b, m: m, k: k, n: n))
        for path in Kernels.Path.allCases {
            #expect(bits(Kernels.matmulTransposedA(stored, b, m: m, k: k, n: n, path: path)) == expected)
        }
    }

    @Test("the horizontal sum follows its fixed tree")
    func horizontalSum() {
        let lanes: [Float] = [1e8, 1, -1e8, 1, 3, 0.5, 7, 0.25]
        let v = SIMD8<Float>(lanes)
        let s0 = lanes[0] + lanes[4], s1 = lanes[1] + lanes[5], s2 = lanes[2] + lanes[6], s3 = lanes[3] + lanes[7]
        #expect(Kernels.horizontalSum(v).bitPattern == ((s0 + s2) + (s1 + s3)).bitPattern)
    }

    @Test("softmax cross-entropy matches a Foundation reference and its gradient rows sum to zero")
    func softmaxCrossEntropy() throws {
        let logits: [Float] = [1, 2, 3, 0.5, -1, 4, 10, 10, -20]
        let labels = [2, 0, 1]
        let out = Kernels.softmaxCrossEntropy(logits: logits, labels: labels, classes: 3)
        var expectedLoss = 0.0
        for r in 0..<3 {
            let row = logits[r * 3..<r * 3 + 3].map(Double.init)
            let top = row.max()!
            let sum = row.map { Foundation.exp($0 - top) }.reduce(0, +)
            expectedLoss += Foundation.log(sum) - (row[labels[r]] - top)
            let gradientSum = out.gradient[r * 3..<r * 3 + 3].reduce(0, +)
            #expect(abs(gradientSum) < 1e-6)
        }
        #expect(abs(Double(out.loss) - expectedLoss / 3) < 1e-5)
        #expect(out.predictions == [2, 2, 0])
        #expect(Kernels.argmax(logits: logits, classes: 3) == [2, 2, 0])
    }

    @Test("momentum update is v = mu*v - lr*g, then w = w + v")
    func momentumUpdate() {
        var weights: [Float] = [1, -2]
        var velocity: [Float] = [0.5, 0.25]
        Kernels.momentumUpdate(weights: &weights, velocity: &velocity, gradient: [2, -4], learningRate: 0.1, momentum: 0.9)
        let v0: Float = Float(0.9) * 0.5 - Float(0.1) * 2
        #expect(velocity[0] == v0)
        #expect(weights[0] == 1 + v0)
        #expect(velocity[1] == Float(0.9) * 0.25 - Float(0.1) * -4)
    }

    @Test("activations and their backward passes")
    func activations() {
        var x: [Float] = [-1, 0, 2]
        Kernels.relu(&x)
        #expect(x == [0, 0, 2])
        var grad: [Float] = [5, 6, 7]
        Kernels.reluBackward(&grad, activated: x)
        #expect(grad == [0, 0, 7])
        var t: [Float] = [0.5]
        Kernels.tanh(&t)
        var g: [Float] = [2]
        Kernels.tanhBackward(&g, activated: t)
        #expect(g[0] == 2 * (1 - t[0] * t[0]))
        var z: [Float] = [1, 2, 3, 4]
        Kernels.addBias(&z, [10, 20])
        #expect(z == [11, 22, 13, 24])
        #expect(Kernels.columnSums(z, rows: 2, cols: 2) == [24, 46])
    }
}
