import Foundation

/// What a provider signs at the end of a job: the Merkle root over its checkpoint states, the
/// number of leaves, the interval between them, and the hashes of the final state and the result.
///
/// Everything an auditor needs to pick segments and check served states is here or in the
/// manifest; the result hash ties the paid-for output to the same signature as the trace.
/// Integers and hex strings only, so its canonical JSON is the same in every language.
public struct Commitment: Sendable, Equatable, Codable {
    /// Merkle root in lowercase hex.
    public var root: String
    /// Number of leaves: checkpoint 0 (the initial state) through the final state.
    public var leafCount: Int
    /// Steps between two consecutive leaves (the last segment may be shorter).
    public var checkpointInterval: Int
    /// SHA-256 of the final state's canonical encoding, lowercase hex. Equals the last leaf's state hash.
    public var finalStateHash: String
    /// SHA-256 of the result bytes, lowercase hex.
    public var resultHash: String

    public init(root: String, leafCount: Int, checkpointInterval: Int, finalStateHash: String, resultHash: String) {
        self.root = root
        self.leafCount = leafCount
        self.checkpointInterval = checkpointInterval
        self.finalStateHash = finalStateHash
        self.resultHash = resultHash
    }

    /// Builds the commitment from a tree whose last leaf is the final state.
    public init(tree: MerkleTree, checkpointInterval: Int, finalStateHash: Data, resultHash: Data) {
        self.init(
            root: tree.rootHex, leafCount: tree.leafCount, checkpointInterval: checkpointInterval,
            finalStateHash: Hex.encode(finalStateHash), resultHash: Hex.encode(resultHash)
        )
    }

    /// The root as bytes; throws when the hex is not a 32-byte hash.
    public func rootBytes() throws(CommitmentError) -> Data {
        guard let bytes = Hex.decode(root), bytes.count == 32 else { throw .badHex(field: "root") }
        return bytes
    }

    /// True when `proof` shows `stateHash` at its index under this commitment's root and leaf count.
    public func contains(stateHash: Data, proof: InclusionProof) -> Bool {
        guard proof.count == leafCount, let root = try? rootBytes() else { return false }
        return proof.verify(stateHash: stateHash, root: root)
    }
}
