import TenderCore

/// What a challenger reports while it works, as it happens, so a person watching sees a dispute
/// move by move rather than only its report at the end.
public enum ChallengeEvent: Sendable, Equatable {
    /// The sampled segments of a lease were re-executed; disputes (if any) come next.
    case checked(lease: LeaseID, provider: AccountID, segmentCount: Int, checks: [AuditCheck])
    /// A dispute was opened, or an open one of this challenger's was picked up again.
    case opened(API.DisputeView, resumed: Bool)
    /// A move was recorded in a dispute, by either side.
    case moved(DisputeID, Dispute.MoveRecord)
    /// A dispute was ruled.
    case ruled(DisputeOutcome)
    /// Something worth saying that is not an error.
    case note(lease: LeaseID, String)
}
