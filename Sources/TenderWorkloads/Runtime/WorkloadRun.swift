import Foundation
import TenderCore

/// Everything a full run produces: the commitment to sign, the tree to answer proofs from, the
/// final state and the result to deliver.
public struct WorkloadRun: Sendable {
    /// State hashes of every leaf, in order; `stateHashes[i]` is the state after `schedule.step(ofLeaf: i)` steps.
    public var stateHashes: [Data]
    public var tree: MerkleTree
    public var commitment: Commitment
    public var finalState: StateSnapshot
    /// The result bytes; `commitment.resultHash` is their SHA-256.
    public var result: Data

    /// The trace artifact: every leaf's state hash, 32 bytes each, in order.
    public var trace: Data { Commitment.trace(of: stateHashes) }
}
