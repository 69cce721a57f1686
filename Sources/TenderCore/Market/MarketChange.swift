/// Everything one command changed, for the shell to persist in one transaction.
public struct MarketChange: Sendable, Equatable {
    public var journal: [JournalEntry] = []
    public var accounts: Set<AccountID> = []
    public var orders: Set<UInt64> = []
    public var leases: Set<UInt64> = []
    /// Deadlines to (re)arm; a deadline for the same subject replaces the old one.
    public var deadlines: [Deadline] = []
    /// Leases whose commitment was just recorded: the verification module takes over from here.
    public var verificationStarted: [UInt64] = []

    public init() {}

    public var isEmpty: Bool {
        journal.isEmpty && accounts.isEmpty && orders.isEmpty && leases.isEmpty && deadlines.isEmpty
    }

    public mutating func merge(_ other: MarketChange) {
        journal += other.journal
        accounts.formUnion(other.accounts)
        orders.formUnion(other.orders)
        leases.formUnion(other.leases)
        deadlines += other.deadlines
        verificationStarted += other.verificationStarted
    }
}

/// A stored clock deadline: when the market must look at an order or a lease again.
public struct Deadline: Sendable, Equatable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case auctionClose = "auction-close"
        case leaseCheck = "lease-check"
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
