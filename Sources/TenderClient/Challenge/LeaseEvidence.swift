import Foundation
import TenderCore
import TenderWorkloads

/// Everything a challenger needs to check a committed lease on its own: the commitment, the trace
/// it was checked against (every leaf's state hash), the schedule, and a runner built from the
/// job's inputs.
public struct LeaseEvidence: Sendable {
    public let lease: API.LeaseView
    public let commitment: Commitment
    public let schedule: CheckpointSchedule
    /// The state hash of every leaf, checked against the commitment's root (`Commitment.check(trace:)`).
    public let trace: [Data]
    /// The Merkle tree over `trace`, built once so each check reads its proof in O(log n).
    public let tree: MerkleTree
    public let runner: WorkloadRunner

    public init(lease: API.LeaseView, commitment: Commitment, schedule: CheckpointSchedule, trace: [Data], runner: WorkloadRunner) throws(CommitmentError) {
        self.lease = lease
        self.commitment = commitment
        self.schedule = schedule
        self.trace = trace
        self.tree = try MerkleTree(stateHashes: trace)
        self.runner = runner
    }

    public var segmentCount: Int { schedule.segmentCount }

    /// The provider's state hash at `leaf`, lowercase hex.
    public func stateHash(ofLeaf leaf: Int) -> String {
        Hex.encode(trace[leaf])
    }

    /// The commitment of a lease that can still be challenged, or why it cannot be.
    public static func commitment(of lease: API.LeaseView) throws(ChallengeError) -> Commitment {
        guard lease.state == .committed || lease.state == .auditing || lease.state == .disputed else {
            throw .notChallengeable(lease: lease.id, "it is \(lease.state.rawValue); only a committed, auditing or disputed lease can be challenged")
        }
        guard let commitment = lease.commitment else {
            throw .notChallengeable(lease: lease.id, "it has no commitment yet")
        }
        return commitment
    }

    /// Fetches the lease's order and trace, checks the trace against the commitment, and builds the
    /// runner from the job's inputs (downloaded into `cache` when not there already).
    public static func gather(
        _ lease: API.LeaseView, client: TenderAPIClient, cache: URL, exec: ExecIsolation
    ) async throws(ChallengeError) -> LeaseEvidence {
        let commitment = try Self.commitment(of: lease)
        let order: API.OrderView
        do { order = try await client.order(lease.order) } catch { throw .client(error) }
        let runner = try await JobInputs(order: order.order, cache: cache, exec: exec).prepare(client: client)
        let traceBytes: Data
        do { traceBytes = try await client.artifact(sha256: commitment.traceHash) } catch { throw .client(error) }
        do {
            let trace = try commitment.check(trace: traceBytes)
            return try LeaseEvidence(lease: lease, commitment: commitment, schedule: try commitment.schedule(), trace: trace, runner: runner)
        } catch {
            throw .badCommitment(lease: lease.id, error.description)
        }
    }

    /// The state the provider committed at `leaf`, from the artifact store; nil when it is not there.
    ///
    /// Leaf 0 is the job's initial state, which anyone can compute: when the store lacks it, it is
    /// computed here and used if its hash is the committed one.
    public func state(ofLeaf leaf: Int, client: TenderAPIClient) async throws(ChallengeError) -> Data? {
        let hash = stateHash(ofLeaf: leaf)
        do {
            return try await client.artifact(sha256: hash)
        } catch {
            guard error.status == 404 else { throw .client(error) }
        }
        if leaf == 0, let initial = try? runner.initialState(), initial.hashHex == hash {
            return initial.bytes
        }
        return nil
    }
}
