/// A provider's obligation to run an order, from award to settlement.
public struct Lease: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Equatable, Codable {
        /// Running the job; heartbeats expected.
        case running
        /// Commitment posted; waiting for the challenge window to close.
        case committed
        /// Paid; collateral unlocked.
        case settled
        /// Missed the deadline or stopped heartbeating; escrow refunded, penalty taken.
        case failed
        /// Fraud proven; escrow refunded, collateral slashed.
        case slashed
    }

    public var id: UInt64
    public var order: UInt64
    public var provider: AccountID
    public var submitter: AccountID
    public var manifestHash: String
    /// What the provider is paid at settlement (the clearing price).
    public var payment: Amount
    public var collateral: Amount
    public var startedAt: Timestamp
    /// When the commitment must be posted.
    public var deadline: Timestamp
    /// When the lease fails unless a heartbeat arrives first.
    public var heartbeatDeadline: Timestamp
    public var challengeWindowSeconds: Int64
    /// SHA-256 of the beacon secret drawn at award; the secret is revealed after the commitment.
    public var beaconCommitment: String
    public var state: State
    public var lastStep: Int64
    public var lastLoss: Double?
    public var commitment: LeaseCommitment?
    /// When the challenge window closes, once committed.
    public var windowEndsAt: Timestamp?

    /// The next moment at which `check(now:)` may change this lease.
    public var nextCheck: Timestamp {
        switch state {
        case .running: min(deadline, heartbeatDeadline)
        case .committed: windowEndsAt ?? deadline
        case .settled, .failed, .slashed: startedAt
        }
    }

    public var isFinal: Bool { state == .settled || state == .failed || state == .slashed }
}

/// The provider's signed claim about a finished run (DESIGN section 7).
public struct LeaseCommitment: Sendable, Equatable, Codable {
    public var lease: UInt64
    /// Merkle root over the checkpoint leaves, lowercase hex.
    public var root: String
    public var leafCount: Int
    public var finalStateHash: String
    public var resultHash: String

    public init(lease: UInt64, root: String, leafCount: Int, finalStateHash: String, resultHash: String) {
        self.lease = lease
        self.root = root
        self.leafCount = leafCount
        self.finalStateHash = finalStateHash
        self.resultHash = resultHash
    }
}
