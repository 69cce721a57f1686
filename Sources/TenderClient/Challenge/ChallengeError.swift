import TenderCore

/// Why a challenger could not check a lease or play a dispute to its end.
///
/// Everything `JobInputs`, `LeaseEvidence` and `Challenger` throw. A controller that cannot be
/// reached or refuses a call keeps its `ClientError`, so a caller can tell a failure that may pass
/// (`.client(.unreachable)`) from one that will not.
public enum ChallengeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A call to the controller failed.
    case client(ClientError)
    /// The job's inputs cannot be downloaded, stored, or built into its workload.
    case inputs(String)
    /// The lease cannot be challenged: it has no commitment, or it is past its challenge window.
    case notChallengeable(lease: LeaseID, String)
    /// The lease's commitment and its trace artifact disagree (the controller checked them at commit time).
    case badCommitment(lease: LeaseID, String)
    /// A segment index outside the commitment.
    case segmentOutOfRange(segment: Int, segmentCount: Int)
    /// The state at the start of the segment is not in the artifact store: there is no claim to make.
    /// An unavailable state is the controller's auditor's business, not a dispute's.
    case stateUnavailable(lease: LeaseID, segment: Int)
    /// Re-executing the segment gives the provider's hash: there is nothing to dispute.
    case segmentChecksOut(lease: LeaseID, segment: Int, hash: String)
    /// Re-executing the segment gave no hash to claim (the check's verdict and detail say why).
    case noClaim(lease: LeaseID, segment: Int, AuditCheck.Verdict, String)
    /// The controller would not open the dispute (the lease is no longer under verification, the
    /// challenger's free stake or available balance is short); its reason is kept.
    case disputeRefused(lease: LeaseID, segment: Int, ClientError)
    /// The challenger's own replay failed while answering a move.
    case replay(DisputeID, String)
    /// A move was refused and the game did not move on; the controller's reason is kept.
    case moveRefused(DisputeID, ClientError)
    /// The task was cancelled while waiting.
    case cancelled

    /// True when the caller named something that does not exist or fit (a segment outside the
    /// commitment, an unknown lease, a missing key), which the CLI reports with exit code 2 rather
    /// than 1. A lease past its window is a failure (1), as the controller's 409 for it is.
    public var isUserInput: Bool {
        switch self {
        case .client(let error), .disputeRefused(_, _, let error): error.isUserInput
        case .segmentOutOfRange: true
        case .inputs, .notChallengeable, .badCommitment, .stateUnavailable, .segmentChecksOut, .noClaim, .replay, .moveRefused, .cancelled:
            false
        }
    }

    /// True when the controller could not be reached: worth trying again later.
    public var isUnreachable: Bool {
        if case .client(.unreachable) = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .client(let error):
            return error.description
        case .inputs(let why):
            return "cannot prepare the job: \(why)"
        case .notChallengeable(let lease, let why):
            return "lease \(lease) cannot be challenged: \(why)"
        case .badCommitment(let lease, let why):
            return "lease \(lease)'s commitment does not match its trace: \(why)"
        case .segmentOutOfRange(let segment, let count):
            return "segment \(segment) is not in the commitment: segments are 0...\(max(count - 1, 0))"
        case .stateUnavailable(let lease, let segment):
            return "the state at the start of segment \(segment) of lease \(lease) is not in the artifact store; "
                + "there is nothing to re-execute; a controller whose auditor runs counts a state still missing after its availability timeout as fraud"
        case .segmentChecksOut(let lease, let segment, let hash):
            return "segment \(segment) of lease \(lease) checks out: re-executing it gives the provider's hash \(hash.prefix(12))…; there is nothing to dispute"
        case .noClaim(let lease, let segment, let verdict, let detail):
            return "segment \(segment) of lease \(lease) gives no hash to claim (\(verdict.rawValue)): \(detail)"
        case .disputeRefused(let lease, let segment, let error):
            return "the controller would not open a dispute on segment \(segment) of lease \(lease): \(error.description)"
        case .replay(let dispute, let why):
            return "cannot answer dispute \(dispute): replaying the segment failed: \(why)"
        case .moveRefused(let dispute, let error):
            return "the controller refused a move in dispute \(dispute): \(error.description)"
        case .cancelled:
            return "cancelled"
        }
    }
}
