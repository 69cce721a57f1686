import Foundation
import GRDB
import TenderCore

/// The market in one SQLite file (or in memory, for tests): the embedded default, for one
/// controller on one machine.
public final class SQLiteMarketStorage: MarketStorage {
    public let database: TenderDatabase
    private let writer: GroupCommitWriter

    public init(database: TenderDatabase) {
        self.database = database
        self.writer = GroupCommitWriter(database: database)
    }

    /// Opens (creating and migrating) the database file at `path`.
    public convenience init(path: URL) throws(StoreError) {
        self.init(database: try TenderDatabase(path: path))
    }

    public var location: String { "sqlite \(database.location.displayPath)" }

    public func load(policy: MarketPolicy, trust: JournalTrust) async throws -> LoadedMarket {
        try await reading { db in try Self.load(policy: policy, trust: trust, in: db) }
    }

    /// Loads inside one read, so the journal and the records are of the same moment.
    static func load(policy: MarketPolicy, trust: JournalTrust, in db: Database) throws -> LoadedMarket {
        let stored = try? DocumentStore.get(
            Signed<Ledger.Snapshot>.self, kind: MarketDocuments.snapshotKind, id: MarketDocuments.snapshotID, in: db
        )
        let snapshot = MarketLoad.trustedSnapshot(stored, controller: trust.key)
        let hash = try snapshot.flatMap { try JournalStore.entry(sequence: $0.sequence, in: db)?.hash }
        var load = MarketLoad(snapshot: snapshot, hashAtSnapshot: hash, storedSnapshot: stored != nil, trust: trust)
        try JournalStore.forEach(after: load.ledger.sequence, in: db) { try load.replay($0) }
        var records = MarketLoad.Records()
        for kind in MarketLoad.Records.kinds {
            try ArchiveStore.forEachLiveBody(kind: kind, in: db) { id, json in try records.add(kind: kind, id: id, json: json) }
        }
        records.deadlines = try DeadlineStore.all(in: db)
        return try load.finish(policy: policy, records: records)
    }

    public nonisolated(nonsending) func write(_ records: MarketRecords, at now: Timestamp) async throws {
        guard records.signsJournal else {
            try await writer.write { db in try records.write(at: now, in: db, signingHead: false) }
            return
        }
        // The last write of a transaction to append journal entries signs the head it leaves.
        try await writer.write(closing: { db, closesBatch in try records.write(at: now, in: db, signingHead: closesBatch) })
    }

    public func journal(after sequence: UInt64, limit: Int) async throws -> [JournalEntry] {
        try await reading { db in try JournalStore.page(after: sequence, limit: limit, in: db) }
    }

    public func document(kind: String, id: String) async throws -> String? {
        try await reading { db in try DocumentStore.body(kind: kind, id: id, in: db) }
    }

    public func archived(_ query: ArchiveQuery) async throws -> [String] {
        try await reading { db in try ArchiveStore.bodies(query, in: db) }
    }

    /// One controller owns an SQLite file: it always leads.
    public func tryToLead(advertising url: String?) async -> Bool { true }

    public var isLeading: Bool { true }

    public func resign() async {}

    public func leaderURL() async throws -> String? { nil }

    public func revision() async throws -> StoreRevision {
        try await reading { db in
            StoreRevision(journal: try JournalStore.head(in: db)?.sequence ?? 0, documents: 0)
        }
    }

    /// One controller owns an SQLite file, so nobody follows it.
    public func changes(since revision: StoreRevision) async throws -> (update: Marketplace.StoredUpdate, revision: StoreRevision)? { nil }

    public var statistics: GroupCommitStatistics { writer.statistics }

    /// A read in which a database failure (a busy or broken file) becomes `StoreError.readFailed`,
    /// which a route answers with 503, as PostgreSQL's reads do; a store error passes as it is.
    private func reading<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.readFailed(location: location, reason: String(describing: error))
        }
    }

    public func close() async throws { try database.close() }
}

extension MarketRecords {
    /// Writes the records inside the writer's transaction.
    func write(at now: Timestamp, in db: Database, signingHead: Bool) throws {
        try JournalStore.append(journal(signingHead: signingHead), in: db)
        try forEachDocument { kind, id, json in try DocumentStore.put(kind: kind, id: id, json: json, at: now, in: db) }
        for deadline in deadlines { try DeadlineStore.upsert(deadline, in: db) }
        for (kind, id) in removedDeadlines { try DeadlineStore.remove(kind: kind, id: id, in: db) }
        try ArchiveStore.put(archive, in: db)
    }
}
