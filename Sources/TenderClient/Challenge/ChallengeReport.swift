import TenderCore

/// What a challenger did on one lease: the segments it re-executed with each verdict, the disputes
/// it played with their rulings, and what that did to its available balance.
public struct ChallengeReport: Sendable, Equatable, Codable {
    public var lease: LeaseID
    public var order: OrderID
    public var provider: AccountID
    /// Segments in the job, of which `checks` covers a sample.
    public var segmentCount: Int
    /// One check per sampled segment, ascending.
    public var checks: [AuditCheck]
    public var disputes: [DisputeOutcome]
    /// What did not go as planned without being an error: a dispute that could not be opened, a
    /// mismatch left alone because an earlier dispute on the lease already decided it.
    public var notes: [String]
    /// The challenger's available balance before its first dispute and after its last one; nil
    /// when no dispute was played (nothing was at stake).
    public var availableBefore: Amount?
    public var availableAfter: Amount?

    public init(
        lease: LeaseID, order: OrderID, provider: AccountID, segmentCount: Int, checks: [AuditCheck], disputes: [DisputeOutcome] = [],
        notes: [String] = [], availableBefore: Amount? = nil, availableAfter: Amount? = nil
    ) {
        self.lease = lease
        self.order = order
        self.provider = provider
        self.segmentCount = segmentCount
        self.checks = checks
        self.disputes = disputes
        self.notes = notes
        self.availableBefore = availableBefore
        self.availableAfter = availableAfter
    }

    /// The sampled segments, ascending.
    public var segments: [Int] { checks.compactMap(\.segment) }

    /// How many checks had this verdict.
    public func count(_ verdict: AuditCheck.Verdict) -> Int {
        checks.filter { $0.verdict == verdict }.count
    }

    /// Available after minus available before, in micro-credits (negative for a loss); 0 when no
    /// dispute was played.
    public var availableChange: Int64 {
        guard let before = availableBefore, let after = availableAfter else { return 0 }
        return after.micros - before.micros
    }

    /// The slash shares won on this lease.
    public var earned: Amount {
        disputes.reduce(Amount.zero) { total, outcome in (try? total.adding(outcome.slashShare)) ?? total }
    }

    private enum CodingKeys: String, CodingKey {
        case lease, order, provider, segmentCount, checks, disputes, notes, availableBefore, availableAfter, availableChange
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            lease: try c.decode(LeaseID.self, forKey: .lease), order: try c.decode(OrderID.self, forKey: .order),
            provider: try c.decode(AccountID.self, forKey: .provider), segmentCount: try c.decode(Int.self, forKey: .segmentCount),
            checks: try c.decode([AuditCheck].self, forKey: .checks), disputes: try c.decode([DisputeOutcome].self, forKey: .disputes),
            notes: try c.decode([String].self, forKey: .notes),
            availableBefore: try c.decodeIfPresent(Amount.self, forKey: .availableBefore),
            availableAfter: try c.decodeIfPresent(Amount.self, forKey: .availableAfter)
        )
    }

    /// The stored fields, plus `availableChange` in micro-credits so a script need not subtract.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lease, forKey: .lease)
        try c.encode(order, forKey: .order)
        try c.encode(provider, forKey: .provider)
        try c.encode(segmentCount, forKey: .segmentCount)
        try c.encode(checks, forKey: .checks)
        try c.encode(disputes, forKey: .disputes)
        try c.encode(notes, forKey: .notes)
        try c.encodeIfPresent(availableBefore, forKey: .availableBefore)
        try c.encodeIfPresent(availableAfter, forKey: .availableAfter)
        try c.encode(availableChange, forKey: .availableChange)
    }
}
