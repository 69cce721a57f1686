/// One line of a lease's timeline: what happened, when, and the money it moved, so a person (or
/// the dashboard) can read why a lease ended as it did.
public struct LeaseEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case awarded, committed, beaconRevealed = "beacon-revealed", auditPassed = "audit-passed"
        case auditFailed = "audit-failed", disputeOpened = "dispute-opened", disputeClosed = "dispute-closed"
        case settled, slashed, failed
    }

    public var at: Timestamp
    public var kind: Kind
    public var detail: String
    /// The amount the event moved, when it moved one (payment, slashed collateral, penalty).
    public var amount: Amount?
    public var dispute: DisputeID?

    public init(at: Timestamp, kind: Kind, detail: String, amount: Amount? = nil, dispute: DisputeID? = nil) {
        self.at = at
        self.kind = kind
        self.detail = detail
        self.amount = amount
        self.dispute = dispute
    }
}
