/// Which disputes `GET /v1/disputes` lists, and the page of them memory holds.
public struct DisputeFilter: Sendable, Equatable {
    public var lease: LeaseID?
    /// A party: the provider or the challenger.
    public var account: AccountID?
    /// Only disputes not yet resolved.
    public var openOnly: Bool

    public init(lease: LeaseID? = nil, account: AccountID? = nil, openOnly: Bool = false) {
        self.lease = lease
        self.account = account
        self.openOnly = openOnly
    }

    public func matches(_ dispute: Dispute) -> Bool {
        (lease.map { dispute.lease == $0 } ?? true)
            && (account.map { dispute.provider == $0 || dispute.challenger == $0 } ?? true)
            && (!openOnly || !dispute.isResolved)
    }

    /// Whether the store's archive can hold a match: every archived dispute is resolved.
    public var mayMatchArchived: Bool { !openOnly }
}

extension Marketplace {
    /// Disputes in memory (those of orders that can still change) matching `filter`, with ids
    /// above `after`, in id order, at most `limit`. The controller adds archived ones from the
    /// store when `filter.mayMatchArchived`. A lease's disputes come from `disputesByLease`,
    /// already in id order; otherwise the page is found without sorting every dispute.
    public func disputePage(_ filter: DisputeFilter, after: UInt64, limit: Int) -> [Dispute] {
        Self.page(
            of: disputes.values, indexed: filter.lease.map { disputes(ofLease: $0) }, after: after, limit: limit,
            id: \.id.rawValue, matches: filter.matches
        )
    }
}
