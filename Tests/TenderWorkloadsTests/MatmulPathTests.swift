import Testing
import TenderWorkloads

/// Values spread over six orders of magnitude, with some signed zeros, so that any change in the
/// order of operations, a fused multiply-add, or a sum started from the first product instead of
/// from +0 shows in the bits.
private func values(_ count: Int, salt: UInt64) -> [Float] {
    let random = CounterRandom(seed: salt)
    return (0..<count).map { index in
        let draw = random.unit(.weightInit, step: 0, counter: UInt64(index)) * 2 - 1
        switch index % 11 {
        case 3: return -0.0
        case 7: return 0
        default: return draw * [Float(1e-3), 1, 1e3][index % 3]
        }
    }
}

private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

@Suite("Matrix product paths")
struct MatmulPathTests {
    /// Around every tile (6x8 SSE2, 6x16 AVX2, 8x32 AVX-512, 8x8 NEON), across k blocks of 256,
    /// row blocks of 120 or 128 and column blocks of 2,048, plus single rows and columns.
    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (1, 300, 1), (1, 37, 70), (70, 37, 1), (5, 7, 15), (6, 256, 16), (7, 257, 17), (8, 8, 8),
        (9, 513, 33), (12, 31, 32), (13, 100, 47), (31, 64, 65), (64, 32, 10), (130, 20, 17), (3, 260, 2_050),
        (256, 256, 256), (4, 0, 8),
    ]

    @Test("every path this CPU runs gives the scalar path's bits", arguments: shapes)
    func pathsMatchScalar(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        let a = values(m * k, salt: 21), stored = values(k * m, salt: 22), b = values(k * n, salt: 23)
        let plain = bits(Kernels.matmul(a, b, m: m, k: k, n: n, using: .scalar))
        let transposed = bits(Kernels.matmulTransposedA(stored, b, m: m, k: k, n: n, using: .scalar))
        for path in Kernels.MatmulPath.available {
            #expect(bits(Kernels.matmul(a, b, m: m, k: k, n: n, using: path)) == plain, "\(path.rawValue) \(m)x\(k)x\(n)")
            #expect(
                bits(Kernels.matmulTransposedA(stored, b, m: m, k: k, n: n, using: path)) == transposed,
                "\(path.rawValue) \(m)x\(k)x\(n), A transposed"
            )
        }
    }

    @Test("a sum of negative zeros is +0 on every path, as 0 + (-0) is")
    func sumStartsFromPositiveZero() {
        let (m, k, n) = (7, 300, 37)
        let a = [Float](repeating: -0.0, count: m * k)
        let b = (0..<k * n).map { Float($0 % 5 + 1) }
        for path in Kernels.MatmulPath.available {
            #expect(bits(Kernels.matmul(a, b, m: m, k: k, n: n, using: path)).allSatisfy { $0 == 0 }, "\(path.rawValue)")
        }
    }

    @Test("the paths found are the ones this architecture has, and the best is one of them")
    func availablePaths() {
        let available = Kernels.MatmulPath.available
        #expect(available.contains(.scalar))
        #expect(available.contains(Kernels.MatmulPath.best))
        #expect(Kernels.Path.simd.matmulPath == Kernels.MatmulPath.best)
        #expect(Kernels.Path.scalar.matmulPath == .scalar)
        #if arch(x86_64)
        #expect(available.contains(.sse2))
        #expect(!available.contains(.neon))
        #elseif arch(arm64)
        #expect(available == [.scalar, .neon])
        #endif
        // Which vector paths the bit-for-bit test above compared here; the others need another CPU.
        print("matmul paths compared with scalar: \(available.map(\.rawValue).joined(separator: ", ")) (best: \(Kernels.MatmulPath.best.rawValue))")
    }
}
