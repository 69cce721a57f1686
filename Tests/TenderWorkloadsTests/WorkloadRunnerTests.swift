import Foundation
import Testing
import TenderCore
import TenderWorkloads

@Suite("Workload runner")
struct WorkloadRunnerTests {
    /// Runs the small digits job, keeping every checkpoint.
    private func runKeepingCheckpoints() throws -> (WorkloadRunner, WorkloadRun, [Checkpoint]) {
        let runner = try WorkloadRunner(try MLPTrainWorkload(config: try Fixtures.smallDigitsJob()))
        var checkpoints = [Checkpoint]()
        let run = try runner.run { checkpoints.append($0) }
        return (runner, run, checkpoints)
    }

    @Test("checkpoints arrive in order at steps 0, c, 2c, ... and the final step")
    func checkpointSchedule() throws {
        let (runner, run, checkpoints) = try runKeepingCheckpoints()
        #expect(checkpoints.map(\.leafIndex) == Array(0..<6))
        #expect(checkpoints.map(\.step) == [0, 7, 14, 21, 28, 30])
        #expect(checkpoints[0].loss == nil)
        #expect(checkpoints.dropFirst().allSatisfy { ($0.loss ?? -1) > 0 })
        #expect(checkpoints.map(\.stateHash) == run.stateHashes)
        #expect(checkpoints.allSatisfy { $0.stateHash == Hashing.sha256($0.state.bytes) })
        #expect(run.finalState == checkpoints[5].state)
        #expect(run.commitment.finalStateHash == Hex.encode(run.stateHashes[5]))
        #expect(run.commitment.checkpointInterval == 7)
        #expect(try runner.initialState() == checkpoints[0].state)
    }

    @Test("every segment re-executed from its checkpoint reproduces the next leaf")
    func segmentsReproduce() throws {
        let (runner, run, checkpoints) = try runKeepingCheckpoints()
        for segment in 0..<runner.schedule.segmentCount {
            let replay = try runner.runSegment(segment, from: checkpoints[segment].state.bytes)
            #expect(replay.leafIndex == segment + 1)
            #expect(replay.stateHash == run.stateHashes[segment + 1], "segment \(segment)")
            let proof = try run.tree.proof(forLeaf: segment + 1)
            #expect(run.commitment.contains(stateHash: replay.stateHash, proof: proof))
        }
    }

    @Test("single steps chained across a segment land on the same leaf, as a referee would")
    func stepsChain() throws {
        let (runner, run, checkpoints) = try runKeepingCheckpoints()
        var bytes = checkpoints[2].state.bytes
        for step in 14..<21 {
            let next = try runner.runStep(from: bytes, atStep: step)
            #expect(next.step == step + 1)
            bytes = next.bytes
        }
        #expect(Hashing.sha256(bytes) == run.stateHashes[3])
        let midpoint = try runner.runSteps(3, from: checkpoints[2].state.bytes, atStep: 14)
        let rest = try runner.runSteps(4, from: midpoint.bytes, atStep: 17)
        #expect(rest.hash == run.stateHashes[3])
        #expect(try runner.validate(state: midpoint.bytes) == 17)
    }

    @Test("a state at the wrong step, or steps past the end, are refused")
    func refusals() throws {
        let (runner, _, checkpoints) = try runKeepingCheckpoints()
        #expect(throws: WorkloadError.stepMismatch(expected: 14, found: 7)) {
            try runner.runSegment(2, from: checkpoints[1].state.bytes)
        }
        #expect(throws: WorkloadError.stepsOutOfRange(start: 28, count: 3, totalSteps: 30)) {
            try runner.runSteps(3, from: checkpoints[4].state.bytes, atStep: 28)
        }
        #expect(throws: WorkloadError.commitment(.indexOutOfRange(index: 5, leafCount: 6))) {
            try runner.runSegment(5, from: checkpoints[5].state.bytes)
        }
    }

    @Test("a tampered checkpoint is caught by the next leaf")
    func tamperedCheckpoint() throws {
        let (runner, run, checkpoints) = try runKeepingCheckpoints()
        var bytes = checkpoints[1].state.bytes
        // The sign-and-exponent byte of the first weight: 8 magic + 2 version + 32 digest + 8 step
        // + 1 activation + 4 layer count + 3 widths * 4 = 67, so the weight's top byte is at 70.
        // (A flip in a low mantissa bit can be rounded away by the next update; this one cannot.)
        bytes[70] ^= 0x40
        #expect(Hashing.sha256(bytes) != run.stateHashes[1])
        #expect(!(try run.tree.proof(forLeaf: 1)).verify(stateHash: Hashing.sha256(bytes), root: run.tree.root))
        let replay = try runner.runSegment(1, from: bytes)
        #expect(replay.stateHash != run.stateHashes[2])
    }

    @Test("an error thrown by the checkpoint callback stops the run")
    func callbackStops() throws {
        struct Stop: Error {}
        let runner = try WorkloadRunner(try MLPTrainWorkload(config: try Fixtures.smallDigitsJob()))
        var seen = 0
        #expect(throws: Stop.self) {
            try runner.run { checkpoint in
                seen += 1
                if checkpoint.leafIndex == 2 { throw Stop() }
            }
        }
        #expect(seen == 3)
    }

    @Test("the final state's result can be recomputed by a verifier")
    func resultRecomputed() throws {
        let (runner, run, _) = try runKeepingCheckpoints()
        #expect(try runner.result(ofFinalState: run.finalState.bytes) == run.result)
    }
}
