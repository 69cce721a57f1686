import TenderCore

/// What one write stores: the journal entries a change appended, the records it touched as they
/// now stand, and the deadlines it set or handled. Captured on the market's actor, so writing it
/// needs nothing else from the market; every backend writes it in one transaction.
public struct MarketRecords: Sendable {
    public var journal: [JournalEntry] = []
    public var accounts: [AccountRecord] = []
    public var orders: [Order] = []
    public var leases: [Lease] = []
    public var disputes: [Dispute] = []
    public var artifacts: [ArtifactRecord] = []
    /// Private records: a lease's beacon secret, drawn at award and read only by the clock.
    public var beaconSecrets: [(lease: LeaseID, secret: String)] = []
    public var counters: Marketplace.Counters?
    /// Documents encoded beforehand (the signed ledger snapshot, encoded off the market's actor).
    public var encoded: [(kind: String, id: String, json: String)] = []
    public var deadlines: [StoredDeadline] = []
    /// Handled deadlines, as (kind, id).
    public var removedDeadlines: [(kind: String, id: String)] = []
    /// Finished orders, leases and disputes archived by this write: their records are written
    /// with it, and from then on the store, not memory, answers for them.
    public var archive: [ArchiveRow] = []
    /// The controller's key, which signs the journal's head: of each transaction's writes, the
    /// last to append entries has its last entry signed, once per transaction rather than once per
    /// entry, since each entry's hash covers the one before it (`Ledger.verify`). Nil stores the
    /// entries as they are.
    public var signer: KeyPair?

    public init() {}

    /// True when storing this write may sign the journal's head.
    var signsJournal: Bool { signer != nil && !journal.isEmpty }

    /// The entries to store: the last signed by `signer` when this write leaves the head of its
    /// transaction and the entry is not signed already.
    func journal(signingHead: Bool) throws(StoreError) -> [JournalEntry] {
        guard signingHead, let signer, let last = journal.last, last.signature == nil else { return journal }
        var entries = journal
        do {
            entries[entries.count - 1] = try last.signed(by: signer)
        } catch {
            throw .encodingFailed(what: "the signature of journal entry \(last.sequence)", reason: String(describing: error))
        }
        return entries
    }

    /// Adds finished groups: their rows, and every record of theirs, so the documents are final.
    public mutating func archive(_ groups: [ArchivedOrder]) {
        var (orderIDs, leaseIDs, disputeIDs) = (Set(orders.map(\.id)), Set(leases.map(\.id)), Set(disputes.map(\.id)))
        for group in groups {
            archive += ArchiveRow.rows(for: group)
            if orderIDs.insert(group.order.id).inserted { orders.append(group.order) }
            for lease in group.leases where leaseIDs.insert(lease.id).inserted { leases.append(lease) }
            for dispute in group.disputes where disputeIDs.insert(dispute.id).inserted { disputes.append(dispute) }
        }
    }

    /// The records `change` touched, read from `market` after the change was made to it.
    public init(change: MarketChange, market: borrowing Marketplace) {
        journal = change.journal
        accounts = change.accounts.sorted().map { market.account($0) }
        orders = change.orders.sorted().compactMap { market.orders[$0] }
        leases = change.leases.sorted().compactMap { market.leases[$0] }
        disputes = change.disputes.sorted().compactMap { market.disputes[$0] }
        artifacts = change.artifacts.sorted().compactMap { market.artifacts[$0] }
        beaconSecrets = change.beaconSecrets.sorted { $0.key < $1.key }.map { (lease: $0.key, secret: $0.value) }
        counters = change.orders.isEmpty && change.leases.isEmpty && change.disputes.isEmpty ? nil : market.counters
        deadlines = change.deadlines.map(StoredDeadline.init)
    }

    /// The stored ledger snapshot start-up resumes from, encoded and signed beforehand.
    public static func snapshot(json: String) -> MarketRecords {
        var records = MarketRecords()
        records.encoded = [(MarketDocuments.snapshotKind, MarketDocuments.snapshotID, json)]
        return records
    }

    /// A deadline moved to a new time.
    public static func deadline(_ deadline: StoredDeadline) -> MarketRecords {
        var records = MarketRecords()
        records.deadlines = [deadline]
        return records
    }

    /// A handled deadline, removed.
    public static func removingDeadline(kind: String, id: String) -> MarketRecords {
        var records = MarketRecords()
        records.removedDeadlines = [(kind, id)]
        return records
    }

    /// Calls `body` with every document to store, as (kind, id, JSON text), in a fixed order.
    /// Encoding happens here, on the writer's side, not on the market's actor.
    public func forEachDocument(_ body: (_ kind: String, _ id: String, _ json: String) throws -> Void) throws {
        func put<T: Encodable>(_ kind: String, _ id: String, _ value: T) throws {
            try body(kind, id, StoreJSON.encode(value, what: "document \(kind)/\(id)"))
        }
        for record in accounts {
            let id = record.id.hex
            let json = try StoreJSON.written(what: "document \(MarketDocuments.accountKind)/\(id)") { try record.canonicalJSON() }
            try body(MarketDocuments.accountKind, id, json)
        }
        for order in orders { try put(MarketDocuments.orderKind, order.id.description, order) }
        for lease in leases { try put(MarketDocuments.leaseKind, lease.id.description, lease) }
        for dispute in disputes { try put(MarketDocuments.disputeKind, dispute.id.description, dispute) }
        for record in artifacts { try put(MarketDocuments.artifactKind, record.hash, record) }
        for (lease, secret) in beaconSecrets { try put(MarketDocuments.beaconSecretKind, lease.description, secret) }
        if let counters { try put(MarketDocuments.metaKind, MarketDocuments.countersID, counters) }
        for (kind, id, json) in encoded { try body(kind, id, json) }
    }
}

extension StoredDeadline {
    /// The stored form of a market deadline: its kind's name and the subject's number as the id.
    public init(_ deadline: Deadline) {
        self.init(kind: deadline.kind.rawValue, id: String(deadline.subject), dueAt: deadline.at)
    }

    /// The market deadline this row stands for; nil for a kind this build does not know.
    public var deadline: Deadline? {
        guard let kind = Deadline.Kind(rawValue: kind), let subject = UInt64(id) else { return nil }
        return Deadline(kind: kind, subject: subject, at: dueAt)
    }
}
