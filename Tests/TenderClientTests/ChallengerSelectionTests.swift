import Foundation
import Testing
import TenderClient
import TenderCore

/// Which segments a challenger re-executes (`SegmentChoice`, `Challenger.segments(for:)`): its
/// own random choice, repeatable from a seed, never outside the commitment.
@Suite("Challenger segment choice")
struct ChallengerSelectionTests {
    static func draw(count: Int, of segments: Int, seed: UInt64) -> [Int] {
        var generator = SplitMixGenerator(seed: seed)
        return SegmentChoice.draw(count: count, of: segments, using: &generator)
    }

    @Test("the same seed chooses the same segments")
    func deterministic() {
        for seed: UInt64 in [0, 1, 42, .max] {
            #expect(Self.draw(count: 4, of: 1_000, seed: seed) == Self.draw(count: 4, of: 1_000, seed: seed))
        }
        // One generator drawing for two leases in a row continues its sequence, also repeatably.
        var first = SplitMixGenerator(seed: 7)
        var second = SplitMixGenerator(seed: 7)
        let a = [SegmentChoice.draw(count: 3, of: 50, using: &first), SegmentChoice.draw(count: 3, of: 50, using: &first)]
        let b = [SegmentChoice.draw(count: 3, of: 50, using: &second), SegmentChoice.draw(count: 3, of: 50, using: &second)]
        #expect(a == b)
    }

    @Test("segments are distinct, ascending and in range", arguments: [(1, 2), (4, 5), (4, 1_000), (10, 11), (50, 3_000_000)])
    func distinctInRange(count: Int, segments: Int) {
        for seed: UInt64 in 0..<50 {
            let chosen = Self.draw(count: count, of: segments, seed: seed)
            #expect(chosen.count == count)
            #expect(Set(chosen).count == chosen.count)
            #expect(chosen == chosen.sorted())
            #expect(chosen.allSatisfy { (0..<segments).contains($0) })
        }
    }

    @Test("asking for as many samples as segments or more checks every segment", arguments: [(4, 4), (5, 4), (459, 10), (1, 1)])
    func cappedBySegmentCount(count: Int, segments: Int) {
        #expect(Self.draw(count: count, of: segments, seed: 3) == Array(0..<segments))
    }

    @Test("no segments or no samples choose nothing", arguments: [(0, 10), (-1, 10), (4, 0), (4, -3)])
    func empty(count: Int, segments: Int) {
        #expect(Self.draw(count: count, of: segments, seed: 3).isEmpty)
    }

    @Test("different seeds choose different segments")
    func seedsDiffer() {
        let choices = Set((0..<20 as Range<UInt64>).map { Self.draw(count: 4, of: 1_000, seed: $0) })
        #expect(choices.count > 15)
    }

    @Test("every segment is chosen about as often as any other")
    func uniform() {
        var generator = SplitMixGenerator(seed: 11)
        var counts = Array(repeating: 0, count: 10)
        for _ in 0..<3_000 {
            for segment in SegmentChoice.draw(count: 3, of: 10, using: &generator) { counts[segment] += 1 }
        }
        // 900 expected for each; the standard deviation is about 25.
        #expect(counts.allSatisfy { (780...1_020).contains($0) }, "counts: \(counts)")
    }

    // MARK: - Leases

    static let provider = KeyPair().account
    static let submitter = KeyPair().account

    /// A lease view as the controller would serve it, committed to `totalSteps` steps every `interval`.
    static func lease(state: Lease.State, totalSteps: Int, interval: Int, committed: Bool = true) throws -> API.LeaseView {
        let hash = Hashing.sha256Hex("x")
        var object: [String: Any] = [
            "id": 7, "order": 3, "provider": provider.hex, "submitter": submitter.hex, "manifestHash": hash,
            "payment": 1_000_000, "collateral": 2_000_000, "state": state.rawValue, "startedAt": 1_000, "deadline": 2_000,
            "heartbeatDeadline": 1_500, "challengeWindowSeconds": 60, "samples": 2, "beaconCommitment": hash,
            "lastStep": totalSteps, "openDisputes": [Int](), "timeline": [Any](),
        ]
        if committed {
            let commitment = Commitment(
                lease: 7, root: hash, leafCount: (totalSteps + interval - 1) / interval + 1, totalSteps: totalSteps,
                checkpointInterval: interval, finalStateHash: hash, resultHash: hash, traceHash: hash
            )
            object["commitment"] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(commitment))
        }
        return try JSONDecoder().decode(API.LeaseView.self, from: JSONSerialization.data(withJSONObject: object))
    }

    @Test("a lease's segments come from its commitment's schedule")
    func leaseSegments() throws {
        // 10 steps every 3: leaves at 0, 3, 6, 9, 10, so 4 segments.
        let lease = try Self.lease(state: .auditing, totalSteps: 10, interval: 3)
        var generator = SplitMixGenerator(seed: 5)
        #expect(try Challenger.segments(for: lease, samples: 10, using: &generator) == [0, 1, 2, 3])
        let two = try Challenger.segments(for: lease, samples: 2, using: &generator)
        #expect(two.count == 2)
        #expect(two.allSatisfy { (0..<4).contains($0) })
    }

    @Test("a lease that is not under verification, or has no commitment, is not challenged", arguments: [
        (Lease.State.running, false), (.settled, true), (.slashed, true), (.failed, false), (.committed, false),
    ])
    func notChallengeable(state: Lease.State, committed: Bool) throws {
        let lease = try Self.lease(state: state, totalSteps: 10, interval: 3, committed: committed)
        var generator = SplitMixGenerator(seed: 5)
        do {
            let segments = try Challenger.segments(for: lease, samples: 4, using: &generator)
            Issue.record("a \(state.rawValue) lease was challenged on segments \(segments)")
        } catch {
            guard case .notChallengeable(let id, _) = error else {
                Issue.record("expected notChallengeable, got \(error)")
                return
            }
            #expect(id == 7)
            #expect(!error.isUserInput)
        }
    }
}
