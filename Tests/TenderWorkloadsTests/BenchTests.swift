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

    /// A synthetic job of `steps` steps committed every `interval`.
    static func synthetic(steps: Int, interval: Int) throws -> MLPTrainWorkload {
        try MLPTrainWorkload(config: MLPTrainConfig(
            dataset: try Fixtures.synthetic(), trainRows: 30, layers: [3, 4, 3], steps: steps, batch: 5,
            learningRate: 0.1, seed: 1, checkpointInterval: interval
        ))
    }

    @Test("the audit cost is measured on a long job without running it whole; the referee counts one step")
    func verificationHelpers() throws {
        let audit = try WorkloadBench.auditCost(
            of: try Self.synthetic(steps: 100 * 5, interval: 5), samples: 10, timedSegments: 6, auditedSegments: 3, rounds: 1
        )
        #expect(audit.segmentLength == 5 && audit.jobSegments == 100 && audit.samples == 10)
        #expect(audit.timedSegments == 6 && audit.auditedSegments == 3)
        #expect(audit.jobSegment > .zero && audit.auditSegment > .zero && audit.percent > 0)

        let referee = try WorkloadBench.refereeCost(segmentLengths: [4, 16]) { length in
            try Self.synthetic(steps: length, interval: length)
        }
        #expect(referee.map(\.segmentLength) == [4, 16])
        #expect(referee.map(\.refereeSteps) == [1, 1])
        #expect(referee.map(\.segmentSteps) == [4, 16])
    }
}
