import Foundation

/// What a provider signs at the end of a job (DESIGN section 7): the Merkle root over its
/// checkpoint states, the schedule that says which step each leaf is, the hashes of the final
/// state and the result, and the hash of its trace (every state hash, in leaf order).
///
/// The one commitment type: a local run builds it with `lease` 0, a provider signs it for its
/// lease as `Signed<Commitment>`, and that signed text is kept as the evidence a challenger needs.
/// Integers and hex strings only, so its canonical JSON is the same in every language.
public struct Commitment: Sendable, Equatable, Codable {
    /// The lease this commitment answers; 0 for a local run, which no one signs.
    public var lease: LeaseID
    /// Merkle root in lowercase hex.
    public var root: String
    /// Number of leaves: checkpoint 0 (the initial state) through the final state.
    public var leafCount: Int
    /// Steps in the whole job.
    public var totalSteps: Int
    /// Steps between two consecutive leaves (the last segment may be shorter).
    public var checkpointInterval: Int
    /// SHA-256 of the final state's canonical encoding, lowercase hex. Equals the last leaf's state hash.
    public var finalStateHash: String
    /// SHA-256 of the result bytes, lowercase hex.
    public var resultHash: String
    /// SHA-256 of the trace: the leaves' 32-byte state hashes concatenated in order. The trace is
    /// an artifact, so auditors and challengers can find any leaf's state hash and its proof.
    public var traceHash: String

    public init(
        lease: LeaseID = 0, root: String, leafCount: Int, totalSteps: Int, checkpointInterval: Int,
        finalStateHash: String, resultHash: String, traceHash: String
    ) {
        self.lease = lease
        self.root = root
        self.leafCount = leafCount
        self.totalSteps = totalSteps
        self.checkpointInterval = checkpointInterval
        self.finalStateHash = finalStateHash
        self.resultHash = resultHash
        self.traceHash = traceHash
    }

    /// Builds the commitment from the state hashes of a run, whose last leaf is the final state.
    public init(lease: LeaseID = 0, stateHashes: [Data], totalSteps: Int, checkpointInterval: Int, resultHash: Data) throws(CommitmentError) {
        let tree = try MerkleTree(stateHashes: stateHashes)
        self.init(
            lease: lease, root: tree.rootHex, leafCount: tree.leafCount, totalSteps: totalSteps,
            checkpointInterval: checkpointInterval, finalStateHash: Hex.encode(stateHashes[stateHashes.count - 1]),
            resultHash: Hex.encode(resultHash), traceHash: Hashing.sha256Hex(Self.trace(of: stateHashes))
        )
    }

    /// The trace artifact for these state hashes: 32 bytes per leaf, in leaf order.
    public static func trace(of stateHashes: [Data]) -> Data {
        stateHashes.reduce(into: Data(capacity: stateHashes.count * 32)) { $0.append($1) }
    }

    /// The root as bytes; throws when the hex is not a 32-byte hash.
    public func rootBytes() throws(CommitmentError) -> Data {
        guard let bytes = Hex.decode(root), bytes.count == 32 else { throw .badHex(field: "root") }
        return bytes
    }

    /// The schedule the commitment claims; throws when its numbers cannot form one.
    public func schedule() throws(CommitmentError) -> CheckpointSchedule {
        try CheckpointSchedule(totalSteps: totalSteps, interval: checkpointInterval)
    }

    /// True when `proof` shows `stateHash` at its index under this commitment's root and leaf count.
    public func contains(stateHash: Data, proof: InclusionProof) -> Bool {
        guard proof.count == leafCount, let root = try? rootBytes() else { return false }
        return proof.verify(stateHash: stateHash, root: root)
    }

    /// Why this commitment's schedule is not `manifest`'s (its checkpoint interval, and its step
    /// count where the manifest alone says it), or nil when it is: a provider must not commit to a
    /// shorter job and be paid for it. The market refuses such a commitment; a submitter checking
    /// a result refuses it the same way.
    public func scheduleProblem(for manifest: JobManifest) -> String? {
        guard checkpointInterval == manifest.workload.checkpointInterval else {
            return "the job checkpoints every \(manifest.workload.checkpointInterval) steps, not \(checkpointInterval)"
        }
        if let steps = manifest.totalSteps, totalSteps != steps {
            return "the job has \(steps) steps, not \(totalSteps)"
        }
        return nil
    }

    /// Checks that `trace` is this commitment's trace and agrees with everything else it claims:
    /// its hash, the leaf count of its schedule, the root, and the final state hash. Returns the
    /// state hashes, one per leaf.
    public func check(trace: Data) throws(CommitmentError) -> [Data] {
        guard Hashing.sha256Hex(trace) == traceHash else { throw .inconsistent("the trace's SHA-256 is not the committed traceHash") }
        guard trace.count % 32 == 0 else { throw .inconsistent("a trace is a whole number of 32-byte hashes") }
        let schedule = try schedule()
        guard schedule.leafCount == leafCount else {
            throw .inconsistent("\(totalSteps) steps every \(checkpointInterval) make \(schedule.leafCount) leaves, not \(leafCount)")
        }
        guard trace.count / 32 == leafCount else { throw .inconsistent("the trace holds \(trace.count / 32) hashes for \(leafCount) leaves") }
        let hashes = stride(from: 0, to: trace.count, by: 32).map { Data(trace[trace.startIndex + $0 ..< trace.startIndex + $0 + 32]) }
        let tree = try MerkleTree(stateHashes: hashes)
        guard tree.rootHex == root else { throw .inconsistent("the trace's Merkle root is not the committed root") }
        guard Hex.encode(hashes[hashes.count - 1]) == finalStateHash else {
            throw .inconsistent("the trace's last leaf is not the committed final state hash")
        }
        return hashes
    }
}
