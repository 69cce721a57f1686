import Foundation
import TenderCore
import TenderWorkloads

/// A job's deliverables, downloaded and checked against the provider's signed commitment: the
/// result, the final state (for training, the model) and the trace of every checkpoint's hash.
///
/// The bytes are not trusted for being on the controller: the commitment must carry the lease
/// provider's valid signature and name this lease of this order; its schedule must be the
/// manifest's (the steps and the checkpoint interval); the trace must hash to the committed trace
/// hash and rebuild the committed Merkle root, ending in the committed final state; the result and
/// the final state must hash to what was committed; and the result must be the runtime's (a
/// training result naming that final state as its model, after all the steps). Any difference
/// refuses the whole download.
///
/// What this cannot show: that the provider computed the states honestly (that is the audit's and
/// the challengers' work, so a lease that has not settled is reported as such), or that the
/// controller, which says which provider holds the lease, told the truth about it.
public struct JobResult: Sendable {
    public let lease: API.LeaseView
    public let signedCommitment: Signed<Commitment>
    public let commitment: Commitment
    public let result: Data
    public let finalState: Data
    public let trace: Data
    /// What was checked, in words, in the order it was checked.
    public let checks: [String]

    /// Downloads and checks the result of `lease` (by default the order's first lease with a
    /// commitment, a settled one first).
    public static func fetch(_ view: API.OrderView, lease wanted: LeaseID? = nil, client: TenderAPIClient) async throws(JobResultError) -> JobResult {
        let lease = try choose(view, lease: wanted)
        guard lease.state != .slashed, lease.state != .failed else { throw .unusable(lease: lease.id, state: lease.state) }
        let order = view.order
        guard let commitment = lease.commitment else { throw .notCommitted(lease: lease.id, state: lease.state) }
        func download(_ what: String, _ hash: String) async throws(JobResultError) -> Data {
            do {
                return try await client.artifact(sha256: hash)
            } catch {
                if case .unexpectedResponse = error { throw .refused(lease: lease.id, error.description) }
                if error.status == 404 { throw .missing(lease: lease.id, what: what, sha256: hash) }
                throw .client(error)
            }
        }
        let trace = try await download("trace", commitment.traceHash)
        let result = try await download("result", commitment.resultHash)
        let finalState = try await download("final state", commitment.finalStateHash)
        return try verify(lease, of: order, result: result, finalState: finalState, trace: trace)
    }

    /// Which lease's result to fetch.
    static func choose(_ view: API.OrderView, lease wanted: LeaseID?) throws(JobResultError) -> API.LeaseView {
        if let wanted {
            guard let lease = view.leases.first(where: { $0.id == wanted }) else {
                throw .noLease(order: view.order.id, "it has no lease \(wanted); its leases: \(view.leases.map { "\($0.id)" }.joined(separator: ", "))")
            }
            return lease
        }
        // A slashed or failed replica is never chosen while another lease has a result.
        let committed = view.leases.filter { $0.commitment != nil && $0.state != .slashed && $0.state != .failed }
        if let lease = committed.first(where: { $0.state == .settled }) ?? committed.first { return lease }
        if let lease = view.leases.first { throw .notCommitted(lease: lease.id, state: lease.state) }
        throw .noLease(order: view.order.id, "it is \(view.order.state.rawValue) and has no lease")
    }

    /// The checks, on bytes already in hand.
    public static func verify(
        _ lease: API.LeaseView, of order: Order, result: Data, finalState: Data, trace: Data
    ) throws(JobResultError) -> JobResult {
        func refuse(_ why: String) -> JobResultError { .refused(lease: lease.id, why) }
        guard lease.order == order.id, lease.manifestHash == order.manifestHash else {
            throw refuse("the lease is not one of order \(order.id)'s, or not for its manifest")
        }
        guard let signed = lease.signedCommitment else { throw refuse("the lease carries no signed commitment") }
        let commitment: Commitment
        do { commitment = try signed.verified() } catch { throw refuse("the commitment's signature does not verify: \(error)") }
        guard signed.signer == lease.provider else {
            throw refuse("the commitment is signed by \(signed.signer.short), not by the lease's provider \(lease.provider.short)")
        }
        guard commitment.lease == lease.id else { throw refuse("the commitment names lease \(commitment.lease), not \(lease.id)") }
        if let shown = lease.commitment, shown != commitment { throw refuse("the commitment shown differs from the one signed") }
        var checks = ["commitment signed by the provider \(lease.provider.short) for lease \(lease.id) of order \(order.id)"]
        let workload = order.manifest.workload
        if let problem = commitment.scheduleProblem(for: order.manifest) {
            throw refuse("the commitment's schedule (\(commitment.totalSteps) steps, a checkpoint every \(commitment.checkpointInterval)) is not the manifest's: \(problem)")
        }
        checks.append("schedule of \(commitment.totalSteps) steps, a checkpoint every \(commitment.checkpointInterval), as the manifest asks")
        do { _ = try commitment.check(trace: trace) } catch { throw refuse("trace: \(error)") }
        checks.append("trace of \(commitment.leafCount) checkpoint hashes rebuilds the root \(commitment.root.prefix(16))… and ends in the final state")
        let resultHash = Hashing.sha256Hex(result)
        guard resultHash == commitment.resultHash else {
            throw refuse("the result's SHA-256 is \(resultHash), but the provider committed to \(commitment.resultHash)")
        }
        checks.append("result sha256:\(resultHash.prefix(16))… is the committed result")
        let stateHash = Hashing.sha256Hex(finalState)
        guard stateHash == commitment.finalStateHash else {
            throw refuse("the final state's SHA-256 is \(stateHash), but the provider committed to \(commitment.finalStateHash)")
        }
        checks.append("final state sha256:\(stateHash.prefix(16))… is the committed final state")
        switch workload.runtime {
        case .mlpTrain:
            guard let training = try? JSONDecoder().decode(MLPTrainResult.self, from: result), training.runtime == "mlp-train" else {
                throw refuse("the result is not a training result")
            }
            guard training.modelStateHash == commitment.finalStateHash else {
                throw refuse("the training result names model \(training.modelStateHash), not the committed final state")
            }
            guard training.steps == commitment.totalSteps else {
                throw refuse("the training result reports \(training.steps) steps, but \(commitment.totalSteps) were committed")
            }
            checks.append("the result's model is the final state, after all \(training.steps) steps")
        case .mlpInfer:
            guard let inference = try? JSONDecoder().decode(MLPInferResult.self, from: result), inference.runtime == "mlp-infer" else {
                throw refuse("the result is not an inference result")
            }
            checks.append("an inference result of \(inference.predictions.count) predictions")
        case .exec:
            break
        }
        return JobResult(lease: lease, signedCommitment: signed, commitment: commitment, result: result, finalState: finalState, trace: trace, checks: checks)
    }
}

/// Why `tender job result` has nothing to give.
public enum JobResultError: Error, Sendable, CustomStringConvertible {
    case noLease(order: OrderID, String)
    case notCommitted(lease: LeaseID, state: Lease.State)
    /// A slashed or failed lease: its provider was proven wrong, or never finished.
    case unusable(lease: LeaseID, state: Lease.State)
    /// The controller does not hold an artifact the commitment names.
    case missing(lease: LeaseID, what: String, sha256: String)
    /// The bytes do not match the signed commitment: nothing is written.
    case refused(lease: LeaseID, String)
    case client(ClientError)

    public var description: String {
        switch self {
        case .noLease(let order, let why): "order \(order) has no result: \(why)"
        case .notCommitted(let lease, let state): "lease \(lease) is \(state.rawValue) and has not committed a result yet"
        case .unusable(let lease, let state):
            state == .slashed
                ? "lease \(lease) was slashed: its provider was proven wrong, so its result is not the job's"
                : "lease \(lease) failed before it committed a result"
        case .missing(let lease, let what, let hash):
            "the controller has no \(what) (sha256:\(hash)) of lease \(lease) for this account: either the provider never stored it, "
                + "or this account may not read it (an order's artifacts are its submitter's, its providers' and, while a lease is "
                + "under verification, staked challengers'; sign with --key)"
        case .refused(let lease, let why): "refused the result of lease \(lease): \(why)"
        case .client(let error): error.description
        }
    }
}
