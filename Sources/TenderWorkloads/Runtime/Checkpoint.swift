import Foundation

/// A committed state: leaf `leafIndex` of the job's Merkle tree.
///
/// The agent receives one per checkpoint while a job runs (leaf 0 is the initial state) and
/// stores `state.bytes` so it can serve them to auditors and the referee later.
public struct Checkpoint: Sendable, Equatable {
    public var leafIndex: Int
    public var state: StateSnapshot

    public init(leafIndex: Int, state: StateSnapshot) {
        self.leafIndex = leafIndex
        self.state = state
    }

    /// The step this leaf stands for.
    public var step: Int { state.step }
    /// The state hash hashed into the leaf.
    public var stateHash: Data { state.hash }
    public var loss: Float? { state.loss }
}
