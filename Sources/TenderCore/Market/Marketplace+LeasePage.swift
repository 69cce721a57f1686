/// Which leases `GET /v1/leases` lists, and the page of them memory holds.
public struct LeaseFilter: Sendable, Equatable {
    public var state: Lease.State?
    public var provider: AccountID?
    public var submitter: AccountID?

    public init(state: Lease.State? = nil, provider: AccountID? = nil, submitter: AccountID? = nil) {
        self.state = state
        self.provider = provider
        self.submitter = submitter
    }

    public func matches(_ lease: Lease) -> Bool {
        (state.map { lease.state == $0 } ?? true) && (provider.map { lease.provider == $0 } ?? true)
            && (submitter.map { lease.submitter == $0 } ?? true)
    }

    /// Whether the store's archive can hold a match: only final leases are archived, so asking it
    /// for a running one would read its whole archive to find nothing.
    public var mayMatchArchived: Bool { state.map(\.isFinal) ?? true }
}

extension Marketplace {
    /// Leases in memory (those of orders that can still change) matching `filter`, with ids
    /// above `after`, in id order, at most `limit`. The controller adds archived ones from the
    /// store when `filter.mayMatchArchived`. A provider's leases come from `leasesByProvider`,
    /// already in id order; otherwise the page is found without sorting every lease.
    public func leasePage(_ filter: LeaseFilter, after: UInt64, limit: Int) -> [Lease] {
        Self.page(
            of: leases.values, indexed: filter.provider.map { leases(ofProvider: $0) }, after: after, limit: limit,
            id: \.id.rawValue, matches: filter.matches
        )
    }
}
