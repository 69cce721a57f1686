import Foundation
import Testing
import TenderCore
import TenderWorkloads

/// Leaf 0 must be the job's own initial state: a provider that trains from another starting model
/// is caught by the audit, the result check and the referee, even though every step after is honest.
@Suite("The initial state is the job's")
struct InitialStateTests {
    static let now = Timestamp(millis: 0)

    /// The honest job, and a run of the same job from a forged start (every step honest after it).
    static func runs() throws -> (runner: WorkloadRunner, honest: WorkloadRun, forged: [Data], forgedStates: [Data]) {
        let runner = try WorkloadRunner(TallyWorkload())
        let honest = try runner.run()
        var forgedStates: [Data] = []
        _ = try WorkloadRunner(TallyWorkload(start: 99)).run { forgedStates.append($0.state.bytes) }
        return (runner, honest, forgedStates.map { Hashing.sha256($0) }, forgedStates)
    }

    @Test("auditing segment 0 of a forged start is a mismatch that names the true leaf 1")
    func segmentZero() throws {
        let (runner, honest, forged, states) = try Self.runs()
        let commitment = try Commitment(stateHashes: forged, totalSteps: 12, checkpointInterval: 4, resultHash: Hashing.sha256(states.last!))
        // Segment 1 and later are honest steps from the forged start, so they pass...
        let later = SegmentAudit.check(segment: 1, state: states[1], trace: forged, commitment: commitment, runner: runner, at: Self.now)
        #expect(later.verdict == .passed)
        // ...but segment 0 starts from a state that is not the job's.
        let first = SegmentAudit.check(segment: 0, state: states[0], trace: forged, commitment: commitment, runner: runner, at: Self.now)
        #expect(first.verdict == .mismatch)
        #expect(first.computed == Hex.encode(honest.stateHashes[1]))
    }

    @Test("the result check refuses a trace whose leaf 0 is not the job's initial state")
    func resultCheck() throws {
        let (runner, _, forged, states) = try Self.runs()
        let commitment = try Commitment(stateHashes: forged, totalSteps: 12, checkpointInterval: 4, resultHash: Hashing.sha256(states.last!))
        let check = SegmentAudit.checkResult(
            finalState: states.last, commitment: commitment, runner: runner, initialStateHash: forged[0], at: Self.now
        )
        #expect(check.verdict == .invalid)
        let unchecked = SegmentAudit.checkResult(finalState: states.last, commitment: commitment, runner: runner, at: Self.now)
        #expect(unchecked.verdict == .passed, "without the leaf-0 hash only the result is compared")
    }

    @Test("the referee rules against a provider whose agreed state at step 0 is not the job's")
    func refereeAtStepZero() throws {
        let (runner, honest, forged, states) = try Self.runs()
        let forgedStep1 = try runner.runStep(from: states[0], atStep: 0).hashHex
        let range = Dispute.Bisection(lowStep: 0, lowHash: Hex.encode(forged[0]), highStep: 1, highHash: forgedStep1)
        guard case .invalidState = Referee.rule(state: states[0], range: range, runner: runner) else {
            Issue.record("a forged start was accepted at step 0")
            return
        }
        let initial = try runner.initialState()
        let honestRange = Dispute.Bisection(
            lowStep: 0, lowHash: initial.hashHex, highStep: 1, highHash: try runner.runStep(from: initial.bytes, atStep: 0).hashHex
        )
        #expect(Referee.rule(state: initial.bytes, range: honestRange, runner: runner) == .stepped(hash: honestRange.highHash))
        #expect(honest.stateHashes[0] == initial.hash)
    }
}
