import Foundation

/// A deterministic step function over a canonical state (DESIGN section 6).
///
/// `initialState`, `advance`, `encode` and `decode` are all an honest provider and a verifier need
/// to agree bit for bit: the agent advances through every step, an auditor decodes a served
/// checkpoint and advances one segment, a referee advances one step. Implementations must be pure:
/// the same state and step count always give the same encoded bytes, on every machine.
/// `WorkloadRunner` adds the checkpoint schedule and the commitment on top.
public protocol Workload: Sendable {
    associatedtype State: Sendable

    /// The runtime name as written in manifests (`mlp-train`, `mlp-infer`, `exec`).
    var runtime: String { get }
    /// Steps in the whole job.
    var totalSteps: Int { get }
    /// Steps between committed states.
    var checkpointInterval: Int { get }

    /// The state before step 0 (the job's leaf 0).
    func initialState() throws(WorkloadError) -> State
    /// Applies `count` (>= 1) steps; returns the loss of the last one when the runtime has a loss.
    func advance(_ state: inout State, steps count: Int) throws(WorkloadError) -> Float?
    /// The canonical bytes whose SHA-256 is the state hash.
    func encode(_ state: State) throws(WorkloadError) -> Data
    /// Reads canonical bytes, refusing bytes that are malformed or belong to another job.
    func decode(_ bytes: Data) throws(WorkloadError) -> State
    /// The steps already applied, when the encoding records it; nil for opaque states.
    func stepCount(of state: State) -> Int?
    /// The job's deliverable, computed from the final state; the commitment signs its SHA-256.
    func result(of finalState: State) throws(WorkloadError) -> Data
}
