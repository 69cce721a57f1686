import Crypto
import Foundation
import TenderCore

/// Measurements behind `tender bench` (DESIGN section 12). This is shell code: it reads a clock,
/// and only the numbers it returns are meant to be compared, never the work's results.
public enum WorkloadBench {
    /// One measured rate.
    public struct Rate: Sendable, Equatable {
        /// Units per second (GFLOP/s or MB/s, see `unit`).
        public var value: Double
        public var unit: String
        /// Wall time of the measured loop.
        public var elapsed: Duration
    }

    /// The commitment overhead of a training run.
    public struct Overhead: Sendable, Equatable {
        /// Time of the full run with encoding and hashing at every checkpoint.
        public var withCommitment: Duration
        /// Time of the same steps with no encoding or hashing at all.
        public var withoutCommitment: Duration
        /// `(with − without) / without × 100`; may be slightly negative from timing noise.
        public var percent: Double
    }

    /// GFLOP/s of the deterministic `n × n` float32 matmul (2·n³ flops per product), best of
    /// `rounds` rounds of `repetitions` products, on the given kernel (by default the fastest
    /// this CPU runs, even in a debug build, where it is compiled without optimisation).
    public static func matmulGFLOPS(
        size n: Int = 256, repetitions: Int = 20, rounds: Int = 5, path: Kernels.MatmulPath = .best,
        clock: ContinuousClock = ContinuousClock()
    ) -> Rate {
        let random = CounterRandom(seed: 1)
        let a = (0..<n * n).map { random.unit(.weightInit, step: 0, counter: UInt64($0)) }
        let b = (0..<n * n).map { random.unit(.weightInit, step: 1, counter: UInt64($0)) }
        var c = [Float](repeating: 0, count: n * n)
        var best = Duration.seconds(1_000_000)
        for _ in 0..<max(rounds, 1) {
            let elapsed = clock.measure {
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            for _ in 0..<repetitions {
                                Kernels.matmul(
                                    a: ap.baseAddress!, aRowStride: n, aColStride: 1, b: bp.baseAddress!, c: cp.baseAddress!,
                                    m: n, k: n, n: n, using: path
                                )
                            }
                        }
                    }
                }
            }
            best = min(best, elapsed)
        }
        let flops = 2 * Double(n) * Double(n) * Double(n) * Double(repetitions)
        return Rate(value: flops / seconds(best) / 1e9, unit: "GFLOP/s", elapsed: best)
    }

    /// MB/s (10^6 bytes) of swift-crypto SHA-256 over `blockSize`-byte blocks, one core, best of
    /// `rounds`; comparable with `openssl speed -evp sha256` at 16 KiB.
    public static func sha256Throughput(
        blockSize: Int = 16_384, blocks: Int = 4_096, rounds: Int = 3, clock: ContinuousClock = ContinuousClock()
    ) -> Rate {
        let block = Data((0..<blockSize).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var best = Duration.seconds(1_000_000)
        var sink: UInt8 = 0
        for _ in 0..<max(rounds, 1) {
            let elapsed = clock.measure {
                for _ in 0..<blocks {
                    let digest = SHA256.hash(data: block)
                    sink ^= digest.withUnsafeBytes { $0[0] }
                }
            }
            best = min(best, elapsed)
        }
        let bytes = Double(blockSize) * Double(blocks) + Double(sink & 0)
        return Rate(value: bytes / seconds(best) / 1e6, unit: "MB/s", elapsed: best)
    }

    /// Times `workload` run through `WorkloadRunner` (encode and hash at every checkpoint, build the
    /// tree) against the same steps and result with no encoding or hashing; best of `rounds` each,
    /// alternating. A run of the bench's job takes tens of milliseconds, so on a shared machine
    /// three rounds often all caught a pause and the percentage swung by several points.
    public static func commitmentOverhead(
        of workload: some Workload, rounds: Int = 10, clock: ContinuousClock = ContinuousClock()
    ) throws -> Overhead {
        let runner = try WorkloadRunner(workload)
        var with = Duration.seconds(1_000_000)
        var without = Duration.seconds(1_000_000)
        for _ in 0..<max(rounds, 1) {
            var failure: (any Error)?
            let plain = clock.measure {
                do {
                    var state = try workload.initialState()
                    _ = try workload.advance(&state, steps: workload.totalSteps)
                    _ = try workload.result(of: state)
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            without = min(without, plain)
            let committed = clock.measure {
                do { _ = try runner.run() } catch { failure = error }
            }
            if let failure { throw failure }
            with = min(with, committed)
        }
        let percent = (seconds(with) - seconds(without)) / seconds(without) * 100
        return Overhead(withCommitment: with, withoutCommitment: without, percent: percent)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
