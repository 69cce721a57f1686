import Foundation
import TenderCore
import Testing

@Suite("Commitment and checkpoint schedule")
struct CommitmentTests {
    @Test("a commitment round-trips through canonical JSON and checks proofs against its root")
    func commitmentRoundTrip() throws {
        let hashes = (0..<6).map { Hashing.sha256(Data([UInt8($0)])) }
        let tree = try MerkleTree(stateHashes: hashes)
        let commitment = try Commitment(
            stateHashes: hashes, totalSteps: 50, checkpointInterval: 10, resultHash: Hashing.sha256(Data("result".utf8))
        )
        #expect(commitment.leafCount == 6)
        #expect(commitment.root == tree.rootHex)
        #expect(try commitment.check(trace: Commitment.trace(of: hashes)) == hashes)
        var reordered = hashes
        reordered.swapAt(1, 2)
        #expect(throws: CommitmentError.self) { try commitment.check(trace: Commitment.trace(of: reordered)) }
        #expect(commitment.finalStateHash == Hex.encode(hashes[5]))
        let json = try CanonicalJSON.encode(commitment)
        #expect(try CanonicalJSON.decode(Commitment.self, from: json) == commitment)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.hasPrefix("{\"checkpointInterval\":10,\"finalStateHash\":"))
        let proof = try tree.proof(forLeaf: 3)
        #expect(commitment.contains(stateHash: hashes[3], proof: proof))
        #expect(!commitment.contains(stateHash: hashes[2], proof: proof))
        var resized = proof
        resized.count = 7
        #expect(!commitment.contains(stateHash: hashes[3], proof: resized))
        let proofJSON = try CanonicalJSON.encode(proof)
        #expect(try CanonicalJSON.decode(InclusionProof.self, from: proofJSON) == proof)
    }

    @Test("a commitment with a malformed root refuses every proof")
    func malformedRoot() {
        let commitment = Commitment(
            root: "xyz", leafCount: 1, totalSteps: 1, checkpointInterval: 1, finalStateHash: "", resultHash: "", traceHash: ""
        )
        #expect(throws: CommitmentError.badHex(field: "root")) { try commitment.rootBytes() }
        #expect(!commitment.contains(stateHash: Data(count: 32), proof: InclusionProof(index: 0, count: 1, path: [])))
    }

    @Test(
        "leaf steps follow min(i * interval, totalSteps)",
        arguments: [(10, 5, [0, 5, 10]), (11, 5, [0, 5, 10, 11]), (1, 7, [0, 1]), (7, 1, [0, 1, 2, 3, 4, 5, 6, 7])]
    )
    func scheduleSteps(totalSteps: Int, interval: Int, expected: [Int]) throws {
        let schedule = try CheckpointSchedule(totalSteps: totalSteps, interval: interval)
        #expect(schedule.leafCount == expected.count)
        #expect(schedule.segmentCount == expected.count - 1)
        #expect(try (0..<schedule.leafCount).map { try schedule.step(ofLeaf: $0) } == expected)
        for segment in 0..<schedule.segmentCount {
            #expect(try schedule.length(ofSegment: segment) == expected[segment + 1] - expected[segment])
        }
        let checkpoints = (0...totalSteps).filter { schedule.isCheckpoint(step: $0) }
        #expect(checkpoints == expected)
    }

    @Test("a schedule refuses zero steps, a zero interval and out-of-range leaves")
    func scheduleRefusals() throws {
        #expect(throws: CommitmentError.badSchedule(totalSteps: 0, interval: 1)) { try CheckpointSchedule(totalSteps: 0, interval: 1) }
        #expect(throws: CommitmentError.badSchedule(totalSteps: 5, interval: 0)) { try CheckpointSchedule(totalSteps: 5, interval: 0) }
        let schedule = try CheckpointSchedule(totalSteps: 5, interval: 2)
        #expect(throws: CommitmentError.indexOutOfRange(index: 4, leafCount: 4)) { try schedule.step(ofLeaf: 4) }
        #expect(throws: CommitmentError.indexOutOfRange(index: 3, leafCount: 4)) { try schedule.length(ofSegment: 3) }
    }
}

@Suite("Commitments from strangers")
struct HostileCommitmentTests {
    @Test("a schedule too large to count is refused, not trapped on", arguments: [(1 << 62, 1 << 62), (Int.max, 1), (1, Int.max), (0, 5), (5, 0)])
    func hugeSchedule(steps: Int, interval: Int) throws {
        #expect(throws: CommitmentError.badSchedule(totalSteps: steps, interval: interval)) {
            try CheckpointSchedule(totalSteps: steps, interval: interval)
        }
        let hashes = (0..<2).map { Hashing.sha256(Data([UInt8($0)])) }
        var commitment = try Commitment(stateHashes: hashes, totalSteps: 1, checkpointInterval: 1, resultHash: hashes[1])
        commitment.totalSteps = steps
        commitment.checkpointInterval = interval
        #expect(throws: CommitmentError.self) { try commitment.check(trace: Commitment.trace(of: hashes)) }
    }
}
