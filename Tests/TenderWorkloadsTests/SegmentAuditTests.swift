import Foundation
import Testing
import TenderCore
import TenderWorkloads

/// One audit check, as the controller's auditor and every challenger run it (DESIGN section 7).
@Suite("Segment audit")
struct SegmentAuditTests {
    static let now = Timestamp(millis: 0)
    static let steps = 20
    static let interval = 5
    /// The segment the single-segment tests audit; one in the middle, so neither end is special.
    static let segment = 2

    /// A cheap job of four segments of five steps, run honestly with every state kept.
    static func honestRun() throws -> (runner: WorkloadRunner, run: WorkloadRun, states: [Data]) {
        let runner = try WorkloadRunner(try MLPTrainWorkload(config: MLPTrainConfig(
            dataset: try Fixtures.synthetic(), trainRows: 30, layers: [3, 4, 3], steps: steps, batch: 5,
            learningRate: 0.1, seed: 1, checkpointInterval: interval
        )))
        var states: [Data] = []
        let run = try runner.run { states.append($0.state.bytes) }
        return (runner, run, states)
    }

    /// The honest run's trace with leaf `segment + 1` replaced, and a commitment to it.
    static func falsified(_ run: WorkloadRun) throws -> (trace: [Data], commitment: Commitment) {
        var trace = run.stateHashes
        trace[Self.segment + 1] = Hashing.sha256(Data("not the state".utf8))
        let commitment = try Commitment(
            stateHashes: trace, totalSteps: Self.steps, checkpointInterval: Self.interval, resultHash: Hashing.sha256(run.result)
        )
        return (trace, commitment)
    }

    @Test("every honest segment passes")
    func honest() throws {
        let (runner, run, states) = try Self.honestRun()
        for segment in 0..<runner.schedule.segmentCount {
            let check = SegmentAudit.check(
                segment: segment, state: states[segment], trace: run.stateHashes, commitment: run.commitment, runner: runner, at: Self.now
            )
            #expect(check.verdict == .passed, "segment \(segment): \(check.detail)")
            #expect(check.computed == Hex.encode(run.stateHashes[segment + 1]))
        }
    }

    @Test("a state read by its hash from a checked store gives the same verdicts without hashing it again")
    func contentAddressed() throws {
        let (runner, run, states) = try Self.honestRun()
        let (falsified, lying) = try Self.falsified(run)
        // A content-addressed store: each state under its own hash, as the artifact store keeps it.
        let store = Dictionary(states.map { (Hashing.sha256($0), $0) }, uniquingKeysWith: { first, _ in first })
        for (trace, commitment) in [(run.stateHashes, run.commitment), (falsified, lying)] {
            let tree = try MerkleTree(stateHashes: trace)
            for segment in 0..<runner.schedule.segmentCount {
                let state = store[trace[segment]]
                let hashed = SegmentAudit.check(
                    segment: segment, state: state, trace: trace, tree: tree, commitment: commitment, runner: runner, at: Self.now
                )
                let named = SegmentAudit.check(
                    segment: segment, state: state, source: .contentAddressed, trace: trace, tree: tree,
                    commitment: commitment, runner: runner, at: Self.now
                )
                #expect(named == hashed, "segment \(segment)")
                // And the verdicts are the right ones: the falsified leaf's segment is a mismatch,
                // the next one's state (named by the false hash) is not in the store.
                let expected: AuditCheck.Verdict = switch (commitment == lying, segment) {
                case (true, Self.segment): .mismatch
                case (true, Self.segment + 1): .unavailable
                default: .passed
                }
                #expect(named.verdict == expected, "segment \(segment): \(named.detail)")
            }
        }
    }

    @Test("a falsified next leaf is a mismatch, and the check names the honest hash")
    func falsifiedLeaf() throws {
        let (runner, run, states) = try Self.honestRun()
        let (falsified, commitment) = try Self.falsified(run)
        let check = SegmentAudit.check(
            segment: Self.segment, state: states[Self.segment], trace: falsified, commitment: commitment, runner: runner, at: Self.now
        )
        #expect(check.verdict == .mismatch)
        #expect(check.computed == Hex.encode(run.stateHashes[Self.segment + 1]))
        #expect(check.expected == Hex.encode(falsified[Self.segment + 1]))
    }

    @Test("a state that is not served is unavailable")
    func unavailable() throws {
        let (runner, run, _) = try Self.honestRun()
        let check = SegmentAudit.check(
            segment: Self.segment, state: nil, trace: run.stateHashes, commitment: run.commitment, runner: runner, at: Self.now
        )
        #expect(check.verdict == .unavailable)
        #expect(check.verdict.isFraud)
        #expect(check.computed == nil)
    }

    @Test("a served state that is not leaf i is invalid, even a real state of the job")
    func wrongState() throws {
        let (runner, run, states) = try Self.honestRun()
        var tampered = states[Self.segment]
        tampered[tampered.index(before: tampered.endIndex)] ^= 0x01
        for served in [states[Self.segment + 1], states[Self.segment - 1], tampered] {
            let check = SegmentAudit.check(
                segment: Self.segment, state: served, trace: run.stateHashes, commitment: run.commitment, runner: runner, at: Self.now
            )
            #expect(check.verdict == .invalid)
            // Refused before re-execution: nothing was computed from it.
            #expect(check.computed == nil)
        }
    }

    @Test("the result check passes the committed result and catches a wrong result hash")
    func result() throws {
        let (runner, run, _) = try Self.honestRun()
        let passed = SegmentAudit.checkResult(finalState: run.finalState.bytes, commitment: run.commitment, runner: runner, at: Self.now)
        #expect(passed.verdict == .passed)
        #expect(passed.computed == run.commitment.resultHash)

        let wrong = try Commitment(
            stateHashes: run.stateHashes, totalSteps: Self.steps, checkpointInterval: Self.interval,
            resultHash: Hashing.sha256(Data("another result".utf8))
        )
        let caught = SegmentAudit.checkResult(finalState: run.finalState.bytes, commitment: wrong, runner: runner, at: Self.now)
        #expect(caught.verdict == .mismatch)
        #expect(caught.computed == run.commitment.resultHash)
        #expect(caught.expected == wrong.resultHash)
    }
}
