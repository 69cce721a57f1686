import TenderCore

/// How a stored market is put back together, the same way on every backend: the ledger from the
/// signed snapshot (when it is this controller's and sits on this journal) plus the journal's
/// tail, then the records and deadlines. Pure steps; each backend supplies the reads, in one
/// consistent read of its own.
public struct MarketLoad {
    public private(set) var ledger: Ledger
    /// The sequence of the snapshot the ledger resumed from; nil for a replay from the start.
    public let snapshotSequence: UInt64?
    /// True when a stored snapshot was found and not used (not this controller's, or not on this
    /// journal): the caller says so in its log.
    public let snapshotRejected: Bool
    public private(set) var replayed = 0
    /// The first replayed entry no later signature vouches for (so far); nil when the tail ends
    /// on a signed entry.
    private var firstUnsigned: UInt64?
    /// The last replayed entry that carries a signature: the one that vouches for the journal.
    private var lastSigned: JournalEntry?
    /// What may vouch for the journal, and the head it must still hold (`JournalTrust.floor`).
    private let trust: JournalTrust
    /// The floor's sequence, when the journal holds another entry there.
    private var rewrittenAt: UInt64?

    /// The snapshot to resume from, if `stored` is one `controller` signed. The caller then reads
    /// the journal entry at its sequence and passes that entry's hash to `init`.
    public static func trustedSnapshot(_ stored: Signed<Ledger.Snapshot>?, controller: AccountID) -> Ledger.Snapshot? {
        guard let stored, stored.signer == controller else { return nil }
        return try? stored.verified()
    }

    /// Starts from `snapshot` when the journal's entry at its sequence has its head hash
    /// (`hashAtSnapshot`), otherwise from an empty ledger. `storedSnapshot` says whether any
    /// snapshot document was found at all, so an unusable one is reported.
    public init(snapshot: Ledger.Snapshot?, hashAtSnapshot: String?, storedSnapshot: Bool, trust: JournalTrust) {
        if let snapshot, hashAtSnapshot == snapshot.headHash, let resumed = try? Ledger(resuming: snapshot) {
            (ledger, snapshotSequence, snapshotRejected) = (resumed, snapshot.sequence, false)
        } else {
            (ledger, snapshotSequence, snapshotRejected) = (Ledger(), nil, storedSnapshot)
        }
        self.trust = trust
        if let floor = trust.floor, floor.sequence == ledger.sequence, floor.hash != ledger.headHash { rewrittenAt = floor.sequence }
        // The market's ledger keeps open holds only; replaying the tail need not gather closed ones.
        ledger.forgetClosedHolds()
    }

    /// Replays the next journal entry (the backend reads them after `ledger.sequence`, in order).
    public mutating func replay(_ entry: JournalEntry) throws {
        try ledger.replay(entry)
        replayed += 1
        if let floor = trust.floor, entry.sequence == floor.sequence, entry.hash != floor.hash { rewrittenAt = floor.sequence }
        if entry.signature != nil {
            firstUnsigned = nil
            lastSigned = entry
        } else if firstUnsigned == nil {
            firstUnsigned = entry.sequence
        }
    }

    /// The stored records, as the backend read them: what a follower takes (`update`), and the
    /// deadlines a leader re-arms.
    public struct Records {
        public var update = Marketplace.StoredUpdate()
        public var deadlines: [StoredDeadline] = []
        public init() {}

        /// Decodes a document of `kind` read as JSON text into its place; other kinds are ignored.
        public mutating func add(kind: String, id: String, json: String) throws {
            let what = "document \(kind)/\(id)"
            switch kind {
            case MarketDocuments.accountKind: update.accounts.append(try StoreJSON.decode(AccountRecord.self, from: json, what: what))
            case MarketDocuments.orderKind: update.orders.append(try StoreJSON.decode(Order.self, from: json, what: what))
            case MarketDocuments.leaseKind: update.leases.append(try StoreJSON.decode(Lease.self, from: json, what: what))
            case MarketDocuments.disputeKind: update.disputes.append(try StoreJSON.decode(Dispute.self, from: json, what: what))
            case MarketDocuments.artifactKind: update.artifacts.append(try StoreJSON.decode(ArtifactRecord.self, from: json, what: what))
            case MarketDocuments.metaKind where id == MarketDocuments.countersID:
                update.counters = try StoreJSON.decode(Marketplace.Counters.self, from: json, what: what)
            default: break
            }
        }

        /// The kinds `add` keeps: what a backend needs to read.
        public static let kinds = [
            MarketDocuments.accountKind, MarketDocuments.orderKind, MarketDocuments.leaseKind,
            MarketDocuments.disputeKind, MarketDocuments.artifactKind, MarketDocuments.metaKind,
        ]
    }

    /// The market: the ledger checked, the records on top of it.
    ///
    /// Refuses a journal that no longer holds the trust's floor (`StoreError.journalRewound`), or
    /// that ends on unsigned entries (`StoreError.unsignedJournalTail`), or on a signature the
    /// trust does not take (`StoreError.untrustedJournalHead`): whoever can write the database but
    /// lacks the controller's key could otherwise cut the journal back, or append entries, for the
    /// controller to sign over. Clients check every signature themselves (`Ledger.verify`).
    public func finish(policy: MarketPolicy, records: Records) throws -> LoadedMarket {
        if let floor = trust.floor, rewrittenAt != nil || ledger.sequence < floor.sequence {
            throw StoreError.journalRewound(head: ledger.sequence, floor: floor.sequence)
        }
        if let firstUnsigned { throw StoreError.unsignedJournalTail(from: firstUnsigned, through: ledger.sequence) }
        if let lastSigned, !trust.vouches(for: lastSigned) { throw StoreError.untrustedJournalHead(sequence: lastSigned.sequence) }
        try ledger.checkInvariants()
        let market = Marketplace(
            policy: policy, ledger: ledger, accounts: records.update.accounts, orders: records.update.orders,
            leases: records.update.leases, disputes: records.update.disputes, artifacts: records.update.artifacts,
            counters: records.update.counters ?? .init()
        )
        return LoadedMarket(
            market: market, deadlines: records.deadlines.compactMap(\.deadline), snapshotSequence: snapshotSequence,
            snapshotRejected: snapshotRejected, replayed: replayed
        )
    }
}

/// What a load found: the market, its pending deadlines, and how the ledger was rebuilt.
public struct LoadedMarket: Sendable {
    public var market: Marketplace
    public var deadlines: [Deadline]
    /// The sequence of the snapshot the ledger resumed from; nil for a replay from the start.
    public var snapshotSequence: UInt64?
    /// A stored snapshot was not this controller's or not on this journal, and was ignored.
    public var snapshotRejected: Bool
    /// How many journal entries were replayed.
    public var replayed: Int
}
