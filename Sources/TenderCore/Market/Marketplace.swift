/// The whole market as one value: the ledger, accounts, orders and leases.
///
/// The controller keeps one in memory and persists what each command reports in its
/// `MarketChange`. Every command is all-or-nothing (`atomically`): it changes the market in place
/// and, if a step fails, takes back what it wrote, so a refused command leaves the market exactly
/// as it was, and a command costs what it touches rather than what the market holds.
public struct Marketplace: Sendable {
    public internal(set) var ledger: Ledger
    public internal(set) var accounts: UndoableDictionary<AccountID, AccountRecord>
    public internal(set) var orders: UndoableDictionary<OrderID, Order>
    public internal(set) var leases: UndoableDictionary<LeaseID, Lease>
    public internal(set) var disputes: UndoableDictionary<DisputeID, Dispute>
    /// What the market knows of each stored artifact, by SHA-256: who uploaded it, which orders it
    /// belongs to. The bytes live in the shell's artifact store.
    public internal(set) var artifacts: UndoableDictionary<String, ArtifactRecord>
    public internal(set) var counters: Counters
    public var policy: MarketPolicy
    /// The open orders, kept beside `orders` by `put`, so listing them (an agent's catch-up after
    /// a `reset` of the event stream) costs what is open, not the whole history.
    public internal(set) var openOrderIDs: UndoableSet<OrderID>
    /// Each submitter's orders in id order, appended at submission.
    public internal(set) var ordersBySubmitter: UndoableDictionary<AccountID, [OrderID]>
    /// Each order's leases, each provider's leases and each lease's disputes, in id order,
    /// appended when one is made, so a question about one order, provider or lease costs what it
    /// has, not what the market ever had.
    public internal(set) var leasesByOrder: UndoableDictionary<OrderID, [LeaseID]>
    public internal(set) var leasesByProvider: UndoableDictionary<AccountID, [LeaseID]>
    public internal(set) var disputesByLease: UndoableDictionary<LeaseID, [DisputeID]>
    /// The accounts with a registered profile, so listing providers costs what there are of them,
    /// not every account the market has seen.
    public internal(set) var providerIDs: UndoableSet<AccountID>
    /// The artifacts tied to each order in memory, so an order that finishes can fold its ties
    /// into their records (`retire`) without looking at every artifact.
    public internal(set) var artifactsByOrder: UndoableDictionary<OrderID, [String]>
    /// How many `atomically` calls are running, outermost included: writes are logged for undo
    /// while it is above zero.
    var openTransactions = 0

    /// The next ids to hand out; persisted so ids are never reused after a restart.
    public struct Counters: Sendable, Equatable, Codable {
        public var nextOrder: OrderID = 1
        public var nextBid: UInt64 = 1
        public var nextLease: LeaseID = 1
        public var nextDispute: DisputeID = 1

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            nextOrder = try c.decode(OrderID.self, forKey: .nextOrder)
            nextBid = try c.decode(UInt64.self, forKey: .nextBid)
            nextLease = try c.decode(LeaseID.self, forKey: .nextLease)
            nextDispute = try c.decodeIfPresent(DisputeID.self, forKey: .nextDispute) ?? 1
        }
    }

    /// How long unbonded stake waits before it can be withdrawn, at least.
    public var unbondingSeconds: Int64 = 3_600

    public init(policy: MarketPolicy) {
        self.ledger = Ledger()
        // Hold ids come from the counters, which never repeat: closed holds need not be kept.
        self.ledger.forgetClosedHolds()
        self.accounts = UndoableDictionary()
        self.orders = UndoableDictionary()
        self.leases = UndoableDictionary()
        self.disputes = UndoableDictionary()
        self.artifacts = UndoableDictionary()
        self.counters = Counters()
        self.policy = policy
        self.openOrderIDs = UndoableSet()
        self.ordersBySubmitter = UndoableDictionary()
        self.leasesByOrder = UndoableDictionary()
        self.leasesByProvider = UndoableDictionary()
        self.disputesByLease = UndoableDictionary()
        self.providerIDs = UndoableSet()
        self.artifactsByOrder = UndoableDictionary()
    }

    /// Rebuilds a marketplace from what the store kept.
    public init(
        policy: MarketPolicy, ledger: Ledger, accounts: [AccountRecord], orders: [Order], leases: [Lease],
        disputes: [Dispute] = [], artifacts: [ArtifactRecord] = [], counters: Counters
    ) {
        self.policy = policy
        self.ledger = ledger
        self.ledger.forgetClosedHolds()
        self.accounts = UndoableDictionary(Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { $1 }))
        self.orders = UndoableDictionary()
        self.leases = UndoableDictionary(Dictionary(leases.map { ($0.id, $0) }, uniquingKeysWith: { $1 }))
        self.disputes = UndoableDictionary(Dictionary(disputes.map { ($0.id, $0) }, uniquingKeysWith: { $1 }))
        self.artifacts = UndoableDictionary()
        self.counters = counters
        self.openOrderIDs = UndoableSet()
        self.ordersBySubmitter = UndoableDictionary()
        self.leasesByOrder = UndoableDictionary()
        self.leasesByProvider = UndoableDictionary()
        self.disputesByLease = UndoableDictionary()
        self.providerIDs = UndoableSet(Set(accounts.filter { $0.profile != nil }.map(\.id)))
        self.artifactsByOrder = UndoableDictionary()
        for order in orders.sorted(by: { $0.id < $1.id }) {
            put(order)
            ordersBySubmitter.append(order.id, at: order.submitter)
        }
        // Only orders still in memory are tied: a finished order's tie was folded into the record
        // when it left (`retire`).
        for var record in artifacts {
            record.orders.removeAll { self.orders[$0] == nil }
            for order in record.orders { artifactsByOrder.append(record.hash, at: order) }
            self.artifacts[record.hash] = record
        }
        for lease in leases.sorted(by: { $0.id < $1.id }) { index(lease) }
        for dispute in disputes.sorted(by: { $0.id < $1.id }) { index(dispute) }
    }

    /// Files a new lease under its order and its provider. Called once per lease, when it is made.
    mutating func index(_ lease: Lease) {
        leasesByOrder.append(lease.id, at: lease.order)
        leasesByProvider.append(lease.id, at: lease.provider)
    }

    /// Files a new dispute under its lease. Called once per dispute, when it is opened.
    mutating func index(_ dispute: Dispute) {
        disputesByLease.append(dispute.id, at: dispute.lease)
    }

    /// Stores an order and keeps `openOrderIDs` in step with its state. Every change to an order
    /// goes through here.
    mutating func put(_ order: Order) {
        orders[order.id] = order
        if order.state == .open {
            openOrderIDs.insert(order.id)
        } else {
            openOrderIDs.remove(order.id)
        }
    }

    // MARK: - Queries

    public func account(_ id: AccountID) -> AccountRecord {
        accounts[id] ?? AccountRecord(id: id)
    }

    /// What eligibility and clearing need to know about a provider now.
    public func standing(of id: AccountID) -> BidderStanding {
        let record = account(id)
        return BidderStanding(
            account: id, profile: record.profile, reputationBasisPoints: record.reputationBasisPoints,
            freeStake: ledger.balances(of: id).staked, jailedUntil: record.jailedUntil
        )
    }

    /// Disputes on a lease, in id order.
    public func disputes(ofLease lease: LeaseID) -> [Dispute] {
        (disputesByLease[lease] ?? []).compactMap { disputes[$0] }
    }

    /// Leases of an order, in id order.
    public func leases(ofOrder order: OrderID) -> [Lease] {
        (leasesByOrder[order] ?? []).compactMap { leases[$0] }
    }

    /// Leases a provider has run or runs, in id order.
    public func leases(ofProvider provider: AccountID) -> [Lease] {
        (leasesByProvider[provider] ?? []).compactMap { leases[$0] }
    }
}
