/// Everything one command changed, for the shell to persist in one transaction.
public struct MarketChange: Sendable, Equatable {
    public var journal: [JournalEntry] = []
    public var accounts: Set<AccountID> = []
    public var orders: Set<OrderID> = []
    public var leases: Set<LeaseID> = []
    public var disputes: Set<DisputeID> = []
    /// Deadlines to (re)arm; a deadline for the same subject replaces the old one.
    public var deadlines: [Deadline] = []
    /// Beacon secrets drawn for newly awarded leases, by lease. The shell stores them as private
    /// records in the same transaction and never serves them before the reveal.
    public var beaconSecrets: [LeaseID: String] = [:]
    /// Artifact records (by hash) created or changed: an upload recorded, an artifact tied to an order.
    public var artifacts: Set<String> = []

    public init() {}

    public var isEmpty: Bool {
        journal.isEmpty && accounts.isEmpty && orders.isEmpty && leases.isEmpty && disputes.isEmpty && deadlines.isEmpty
            && artifacts.isEmpty
    }

    public mutating func merge(_ other: MarketChange) {
        journal += other.journal
        accounts.formUnion(other.accounts)
        orders.formUnion(other.orders)
        leases.formUnion(other.leases)
        disputes.formUnion(other.disputes)
        deadlines += other.deadlines
        beaconSecrets.merge(other.beaconSecrets) { $1 }
        artifacts.formUnion(other.artifacts)
    }
}

/// A stored clock deadline: when the market must look at an order, a lease or a dispute again.
public struct Deadline: Sendable, Equatable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case auctionClose = "auction-close"
        case leaseCheck = "lease-check"
        /// Reveal a committed lease's beacon and draw its audit sample.
        case beaconReveal = "beacon-reveal"
        /// A dispute's move deadline, or its ruling when it is due at once.
        case disputeCheck = "dispute-check"
    }

    public var kind: Kind
    public var subject: UInt64
    public var at: Timestamp

    public init(kind: Kind, subject: UInt64, at: Timestamp) {
        self.kind = kind
        self.subject = subject
        self.at = at
    }
}
