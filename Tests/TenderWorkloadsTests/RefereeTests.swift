import Foundation
import Testing
import TenderCore
@testable import TenderWorkloads

/// The dispute referee executes one step whatever the segment's length, rules only on the agreed
/// state, and honest players answer from the same replay (DESIGN section 7).
@Suite("Dispute referee")
struct RefereeTests {
    static let deadline = Timestamp(millis: 1_000)

    /// A cheap deterministic job: two segments of `length` steps on the synthetic data.
    static func job(segmentLength length: Int) throws -> MLPTrainWorkload {
        try MLPTrainWorkload(config: MLPTrainConfig(
            dataset: try Fixtures.synthetic(), trainRows: 30, layers: [3, 4, 3], steps: 2 * length, batch: 5,
            learningRate: 0.1, seed: 1, checkpointInterval: length
        ))
    }

    /// Runs the job honestly and narrows a dispute on its second segment to that segment's last
    /// step, the farthest from the checkpoint: the agreed state (replayed from leaf 1, as a player
    /// does) and the range whose high hash is the honest final state's.
    static func lastStep(of runner: WorkloadRunner, length: Int) throws -> (agreed: StateSnapshot, range: Dispute.Bisection) {
        var checkpoints: [Checkpoint] = []
        let run = try runner.run { checkpoints.append($0) }
        let agreed = try Referee.replay(from: checkpoints[1].state.bytes, atStep: length, to: 2 * length - 1, runner: runner)
        let range = Dispute.Bisection(
            lowStep: 2 * length - 1, lowHash: agreed.hashHex, highStep: 2 * length, highHash: run.commitment.finalStateHash
        )
        return (agreed, range)
    }

    static func isInvalidState(_ outcome: Dispute.RefereeOutcome) -> Bool {
        if case .invalidState = outcome { return true }
        return false
    }

    @Test("the counting wrapper counts every step and changes nothing")
    func countingIsTransparent() throws {
        let plain = try WorkloadRunner(try Self.job(segmentLength: 10)).run()
        let counter = CountingWorkload(try Self.job(segmentLength: 10))
        let counted = try WorkloadRunner(counter).run()
        #expect(counted.commitment == plain.commitment)
        #expect(counter.stepsAdvanced == 20)
        counter.reset()
        #expect(counter.stepsAdvanced == 0)
    }

    @Test("the referee executes exactly one step, whatever the segment length", arguments: [10, 1_000])
    func oneStep(length: Int) throws {
        let counter = CountingWorkload(try Self.job(segmentLength: length))
        let runner = try WorkloadRunner(counter)
        let (agreed, range) = try Self.lastStep(of: runner, length: length)
        counter.reset()
        let outcome = Referee.rule(state: agreed.bytes, range: range, runner: runner)
        #expect(counter.stepsAdvanced == 1)
        #expect(outcome == .stepped(hash: range.highHash))
    }

    @Test("the referee's step gives the true next hash from the agreed state, and refuses any other state")
    func rulings() throws {
        let length = 10
        let runner = try WorkloadRunner(try Self.job(segmentLength: length))
        let (agreed, range) = try Self.lastStep(of: runner, length: length)
        #expect(Referee.rule(state: agreed.bytes, range: range, runner: runner) == .stepped(hash: range.highHash))

        // The referee reports what the step gives, not what the provider claimed; the game compares.
        var falseClaim = range
        falseClaim.highHash = Hashing.sha256Hex("a false claim")
        #expect(Referee.rule(state: agreed.bytes, range: falseClaim, runner: runner) == .stepped(hash: range.highHash))

        // A real state of the job, one step early: its hash is not the agreed one.
        let earlier = try runner.runSteps(2 * length - 2, from: try runner.initialState().bytes, atStep: 0)
        #expect(Self.isInvalidState(Referee.rule(state: earlier.bytes, range: range, runner: runner)))

        // Bytes that are not the agreed state at all.
        var tampered = agreed.bytes
        tampered[tampered.index(before: tampered.endIndex)] ^= 0x01
        #expect(Self.isInvalidState(Referee.rule(state: tampered, range: range, runner: runner)))

        // A range whose low hash is that early state but whose step is wrong: the hash fits, the step does not.
        let misplaced = Dispute.Bisection(lowStep: 2 * length - 1, lowHash: earlier.hashHex, highStep: 2 * length, highHash: range.highHash)
        #expect(Self.isInvalidState(Referee.rule(state: earlier.bytes, range: misplaced, runner: runner)))
    }

    @Test("an honest provider names the true midpoint hash; an honest challenger agrees with it and only with it")
    func players() throws {
        let length = 10
        let runner = try WorkloadRunner(try Self.job(segmentLength: length))
        var checkpoints: [Checkpoint] = []
        let run = try runner.run { checkpoints.append($0) }
        let start = checkpoints[1].state
        let range = Dispute.Bisection(lowStep: length, lowHash: start.hashHex, highStep: 2 * length, highHash: run.commitment.finalStateHash)

        // The truth at the midpoint by single steps, not by the players' own replay.
        var bytes = start.bytes
        for step in length..<range.midpoint {
            bytes = try runner.runStep(from: bytes, atStep: step).bytes
        }
        let truth = Hashing.sha256Hex(bytes)

        let provider = DisputePlayer(runner: runner, side: .provider, startState: start.bytes, startStep: length)
        let challenger = DisputePlayer(runner: runner, side: .challenger, startState: start.bytes, startStep: length)
        let asked = Dispute.Phase.awaitingMidpoint(range, deadline: Self.deadline)
        #expect(try provider.answer(asked) == .move(.midpoint(step: range.midpoint, hash: truth)))
        let trueMidpoint = Dispute.Phase.awaitingVerdict(range, midpointHash: truth, deadline: Self.deadline)
        #expect(try challenger.answer(trueMidpoint) == .move(.agree(step: range.midpoint)))
        let falseMidpoint = Dispute.Phase.awaitingVerdict(range, midpointHash: Hashing.sha256Hex("a false midpoint"), deadline: Self.deadline)
        #expect(try challenger.answer(falseMidpoint) == .move(.disagree(step: range.midpoint)))

        // Neither moves out of turn.
        #expect(try provider.answer(trueMidpoint) == .wait)
        #expect(try challenger.answer(asked) == .wait)
    }
}
