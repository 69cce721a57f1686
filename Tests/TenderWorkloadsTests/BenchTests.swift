import Foundation
import Testing
import TenderWorkloads

/// The bench helpers run and report sane units; the numbers themselves belong to `tender bench`.
@Suite("Bench helpers")
struct BenchTests {
    @Test("each helper returns a positive rate in its unit")
    func helpersRun() throws {
        let matmul = WorkloadBench.matmulGFLOPS(size: 16, repetitions: 2, rounds: 1)
        #expect(matmul.value > 0 && matmul.unit == "GFLOP/s")
        let sha = WorkloadBench.sha256Throughput(blockSize: 1024, blocks: 8, rounds: 1)
        #expect(sha.value > 0 && sha.unit == "MB/s")
        let config = MLPTrainConfig(
            dataset: try Fixtures.synthetic(), trainRows: 30, layers: [3, 4, 3], steps: 10, batch: 5,
            learningRate: 0.1, seed: 1, checkpointInterval: 5
        )
        let overhead = try WorkloadBench.commitmentOverhead(of: try MLPTrainWorkload(config: config), rounds: 1)
        #expect(overhead.withCommitment > .zero && overhead.withoutCommitment > .zero)
    }
}
