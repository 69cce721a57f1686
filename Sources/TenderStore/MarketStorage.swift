import TenderCore

/// Where the controller keeps the market: the one interface it uses, whatever the database.
///
/// Shaped like what the controller does: load the market at start-up, write each change
/// (journal entries, records, deadlines) atomically and durably, page the journal, read a single
/// document (private records such as beacon secrets). `SQLiteMarketStorage` is the embedded
/// default; `PostgresMarketStorage` lets several controllers share one database.
///
/// ## Writes
/// `write` is answered only once the transaction holding the records has committed durably.
/// Concurrent writes share transactions (group commit); each is all or nothing, and a write that
/// fails leaves the others of its transaction alone, unless the transaction itself fails, which
/// every write in it is then told. Writes are applied in the order they were called:
/// `nonisolated(nonsending)` queues the write on the caller's executor before its first
/// suspension, so an actor that writes change A and then B has A applied first.
public protocol MarketStorage: Sendable {
    /// Where the market is kept, for logs and messages ("sqlite /path", "postgres host:port/db").
    var location: String { get }

    /// The stored market, rebuilt (`MarketLoad`) from one consistent read. `trust` names the
    /// controller's key (the snapshot must be signed with it) and says which signature may vouch
    /// for the journal.
    func load(policy: MarketPolicy, trust: JournalTrust) async throws -> LoadedMarket

    /// Writes `records` durably, in one transaction with whatever else is queued.
    nonisolated(nonsending) func write(_ records: MarketRecords, at now: Timestamp) async throws

    /// Up to `limit` journal entries after `sequence`, oldest first.
    func journal(after sequence: UInt64, limit: Int) async throws -> [JournalEntry]

    /// The JSON text of the document at (kind, id), or nil.
    func document(kind: String, id: String) async throws -> String?

    /// The JSON text of the archived records `query` selects, in id order.
    func archived(_ query: ArchiveQuery) async throws -> [String]

    // MARK: - Several controllers

    /// Tries to become the one controller that writes to this store, advertising `url` as where
    /// writes should go. A store only one controller uses (SQLite) always says yes; a shared one
    /// (PostgreSQL) says yes to one controller at a time, until its connection is gone.
    func tryToLead(advertising url: String?) async -> Bool

    /// True while this controller holds the lead; false once the connection that held it is gone.
    var isLeading: Bool { get }

    /// Lets the lead go, so another controller can take it (a takeover that failed half way).
    func resign() async

    /// Where the current leader said writes should go, if any controller leads.
    func leaderURL() async throws -> String?

    /// Changes whenever a write commits: what a following controller polls to know when to reload.
    func revision() async throws -> StoreRevision

    /// What changed since `revision`: the journal's entries after its head and the records
    /// written since, for `Marketplace.follow`, with the revision they bring a follower to; nil
    /// when this store cannot tell (the follower then reloads the whole market).
    func changes(since revision: StoreRevision) async throws -> (update: Marketplace.StoredUpdate, revision: StoreRevision)?

    /// Group-commit counters, for metrics and tests.
    var statistics: GroupCommitStatistics { get }

    /// Lets go of connections. Later calls fail.
    func close() async throws
}

extension MarketStorage {
    /// The document at (kind, id) decoded as `T`, or nil.
    public func document<T: Decodable>(_ type: T.Type, kind: String, id: String) async throws -> T? {
        guard let json = try await document(kind: kind, id: id) else { return nil }
        return try StoreJSON.decode(type, from: json, what: "document \(kind)/\(id)")
    }

    /// The archived records `query` selects, decoded as `T`, in id order.
    public func archived<T: Decodable>(_ type: T.Type, _ query: ArchiveQuery) async throws -> [T] {
        try await archived(query).map { json in try StoreJSON.decode(type, from: json, what: "archived \(query.kind)") }
    }

    /// The private beacon secret drawn for a lease at award; nil if none was kept.
    public func beaconSecret(lease: LeaseID) async throws -> String? {
        try await document(String.self, kind: MarketDocuments.beaconSecretKind, id: lease.description)
    }

    /// The whole journal, oldest first, read page by page (for tests and tools).
    public func wholeJournal() async throws -> [JournalEntry] {
        var entries: [JournalEntry] = []
        while true {
            let page = try await journal(after: entries.last?.sequence ?? 0, limit: 1_000)
            guard !page.isEmpty else { return entries }
            entries += page
        }
    }
}

/// A fingerprint of a store's content: the journal's head and the last document revision.
public struct StoreRevision: Sendable, Equatable {
    public var journal: UInt64
    public var documents: Int64

    public init(journal: UInt64, documents: Int64) {
        self.journal = journal
        self.documents = documents
    }
}
