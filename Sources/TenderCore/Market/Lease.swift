/// A provider's obligation to run an order, from award to settlement, with the record of how it
/// was checked. The stored record; clients see `API.LeaseView`.
public struct Lease: Sendable, Equatable, Codable {
    /// running -> committed -> auditing -> (disputed) -> settled | slashed, or running -> failed.
    public enum State: String, Sendable, Equatable, Codable, CaseIterable {
        /// Running the job; heartbeats expected.
        case running
        /// Commitment recorded; the beacon is about to be revealed.
        case committed
        /// The beacon is revealed and the sampled audit runs; the challenge window is open.
        case auditing
        /// At least one dispute is open; nothing settles until every one is resolved.
        case disputed
        /// Paid; collateral unlocked.
        case settled
        /// Missed the deadline or stopped heartbeating; escrow refunded, a penalty burned.
        case failed
        /// Fraud proven; escrow refunded, collateral slashed.
        case slashed

        /// Settled, failed or slashed: nothing changes the lease again.
        public var isFinal: Bool { self == .settled || self == .failed || self == .slashed }
    }

    public var id: LeaseID
    public var order: OrderID
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
    /// Segments the built-in auditor re-executes (the manifest's `verification.samples`).
    public var samples: Int
    /// SHA-256 of the beacon secret drawn at award; the secret is revealed after the commitment.
    public var beaconCommitment: String
    public var state: State
    public var lastStep: Int64
    public var lastLoss: Double?
    /// The provider's claim, as it decoded from `signedCommitment`.
    public var commitment: Commitment?
    /// The commitment exactly as the provider signed it: the evidence a challenger can show anyone.
    public var signedCommitment: Signed<Commitment>?
    public var committedAt: Timestamp?
    /// When the challenge window closes, once committed. Settlement also waits for the audit and
    /// for every open dispute, so the window is in effect extended while either is open.
    public var windowEndsAt: Timestamp?
    /// The built-in audit, once the beacon is revealed.
    public var audit: LeaseAudit?
    /// Disputes on this lease that are not resolved yet.
    public var openDisputes: [DisputeID]
    /// What happened, in order.
    public var timeline: [LeaseEvent]
    public var endedAt: Timestamp?

    /// The next moment at which `check(now:)` may change this lease.
    public var nextCheck: Timestamp {
        switch state {
        case .running: min(deadline, heartbeatDeadline)
        case .committed, .auditing, .disputed: windowEndsAt ?? deadline
        case .settled, .failed, .slashed: startedAt
        }
    }

    public var isFinal: Bool { state.isFinal }

    /// Committed and not yet finished: the window for audits and disputes.
    public var isUnderVerification: Bool { state == .committed || state == .auditing || state == .disputed }
}
