import Foundation
import PostgresNIO
import TenderCore

/// The market in a PostgreSQL database, which several controllers can share.
///
/// The same tables and checks as on SQLite (`PostgresSchema`), written through a
/// `PostgresGroupCommitWriter` with `synchronous_commit = on`; start-up refuses a server with
/// `fsync` off. Connections come from a `PostgresClient` pool that this storage runs until `close`.
public final class PostgresMarketStorage: MarketStorage {
    public let postgres: PostgresLocation
    let client: PostgresClient
    private let runner: Task<Void, Never>
    private let writer: PostgresGroupCommitWriter
    private let leadership: PostgresLeadership
    private let logger: Logger

    /// Connects, migrates and checks durability; throws a `StoreError` that names the server.
    public init(_ location: PostgresLocation, logger: Logger) async throws {
        self.postgres = location
        self.logger = logger
        let client = PostgresClient(configuration: location.clientConfiguration, backgroundLogger: logger)
        self.client = client
        self.runner = Task { await client.run() }
        self.leadership = PostgresLeadership(location: location, logger: logger)
        self.writer = PostgresGroupCommitWriter(leadership: leadership, logger: logger)
        do {
            try await Self.reachable(location, logger: logger)
            try await client.withConnection { connection in
                try await PostgresSchema.migrate(on: connection, logger: logger)
                try await Self.checkDurability(on: connection, logger: logger)
            }
        } catch {
            runner.cancel()
            if let error = error as? StoreError { throw error }
            throw StoreError.unreachable(location: location.description, reason: Self.describe(error))
        }
    }

    public var location: String { "postgres \(postgres)" }

    /// Fails fast, with the server's own words, when it cannot be reached or refuses us: the pool
    /// would otherwise keep retrying until its timeout.
    static func reachable(_ location: PostgresLocation, logger: Logger) async throws {
        let connection = try await connect(location, logger: logger)
        try? await connection.close()
    }

    /// A connection of its own, outside the pool (the leader lock's session).
    static func connect(
        _ location: PostgresLocation, logger: Logger, startupParameters: [(String, String)] = []
    ) async throws -> PostgresConnection {
        do {
            var configuration: PostgresConnection.Configuration
            if let directory = location.socketDirectory {
                configuration = .init(
                    unixSocketPath: "\(directory)/.s.PGSQL.\(location.port)", username: location.username,
                    password: location.password, database: location.database
                )
            } else {
                let tls: PostgresConnection.Configuration.TLS = switch location.tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
                configuration = .init(
                    host: location.host, port: location.port, username: location.username,
                    password: location.password, database: location.database, tls: tls
                )
            }
            configuration.options.connectTimeout = .seconds(5)
            configuration.options.additionalStartupParameters = startupParameters
            return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            throw StoreError.unreachable(location: location.description, reason: describe(error))
        }
    }

    /// Refuses a server that would acknowledge a commit it could lose: `fsync` must be on. Each
    /// write transaction sets `synchronous_commit = on` itself.
    static func checkDurability(on connection: PostgresConnection, logger: Logger) async throws {
        var fsync: String?
        for try await value in try await connection.query("SHOW fsync", logger: logger).decode(String.self) { fsync = value }
        guard fsync == "on" else { throw StoreError.notDurable(setting: "fsync", found: fsync) }
    }

    /// Throws unless the server fsyncs its commits (a health check, or a test, runs it any time).
    public func checkDurability() async throws {
        try await client.withConnection { connection in try await Self.checkDurability(on: connection, logger: logger) }
    }

    public func load(policy: MarketPolicy, trust: JournalTrust) async throws -> LoadedMarket {
        try await reading {
            try await client.withConnection { connection in
                // One snapshot of the database for the whole load, as SQLite's single read.
                try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
                do {
                    let loaded = try await load(policy: policy, trust: trust, on: connection)
                    try await connection.query("COMMIT", logger: logger)
                    return loaded
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    private func load(policy: MarketPolicy, trust: JournalTrust, on connection: PostgresConnection) async throws -> LoadedMarket {
        let storedJSON = try await document(kind: MarketDocuments.snapshotKind, id: MarketDocuments.snapshotID, on: connection)
        let stored = storedJSON.flatMap { try? StoreJSON.decode(Signed<Ledger.Snapshot>.self, from: $0, what: "ledger snapshot") }
        let snapshot = MarketLoad.trustedSnapshot(stored, controller: trust.key)
        var hash: String?
        if let snapshot, let sequence = Int64(exactly: snapshot.sequence) {
            let rows = try await connection.query("SELECT hash FROM journal WHERE sequence = \(sequence)", logger: logger)
            for try await value in rows.decode(String.self) { hash = value }
        }
        var load = MarketLoad(snapshot: snapshot, hashAtSnapshot: hash, storedSnapshot: storedJSON != nil, trust: trust)
        let after = Int64(clamping: load.ledger.sequence)
        let entries = try await connection.query("\(unescaped: Self.selectJournal) WHERE sequence > \(after) ORDER BY sequence", logger: logger)
        for try await row in entries.decode(JournalRow.self) {
            try load.replay(try Self.columns(row).entry())
        }
        var records = MarketLoad.Records()
        let documents = try await connection.query(
            """
            SELECT d.kind, d.id, d.body FROM documents d
            WHERE d.kind = ANY(\(MarketLoad.Records.kinds)) AND NOT EXISTS (SELECT 1 FROM archive a WHERE a.kind = d.kind AND a.id = d.id)
            ORDER BY d.kind, d.id
            """, logger: logger
        )
        for try await (kind, id, body) in documents.decode((String, String, String).self) {
            try records.add(kind: kind, id: id, json: body)
        }
        let deadlines = try await connection.query("SELECT kind, id, due_at FROM deadlines ORDER BY due_at, kind, id", logger: logger)
        for try await (kind, id, dueAt) in deadlines.decode((String, String, Int64).self) {
            records.deadlines.append(StoredDeadline(kind: kind, id: id, dueAt: Timestamp(millis: dueAt)))
        }
        return try load.finish(policy: policy, records: records)
    }

    public nonisolated(nonsending) func write(_ records: MarketRecords, at now: Timestamp) async throws {
        try await writer.write(records, at: now)
    }

    public func journal(after sequence: UInt64, limit: Int) async throws -> [JournalEntry] {
        try await reading {
            let (after, limit) = (Int64(clamping: sequence), Int64(max(limit, 0)))
            let rows = try await client.query(
                "\(unescaped: Self.selectJournal) WHERE sequence > \(after) ORDER BY sequence LIMIT \(limit)", logger: logger
            )
            var entries: [JournalEntry] = []
            for try await row in rows.decode(JournalRow.self) { entries.append(try Self.columns(row).entry()) }
            return entries
        }
    }

    public func document(kind: String, id: String) async throws -> String? {
        try await reading {
            try await client.withConnection { connection in try await document(kind: kind, id: id, on: connection) }
        }
    }

    private func document(kind: String, id: String, on connection: PostgresConnection) async throws -> String? {
        var body: String?
        let rows = try await connection.query("SELECT body FROM documents WHERE kind = \(kind) AND id = \(id)", logger: logger)
        for try await value in rows.decode(String.self) { body = value }
        return body
    }

    public func archived(_ query: ArchiveQuery) async throws -> [String] {
        guard query.limit > 0 else { return [] }
        if let sides = query.sides {
            var pages: [[(number: UInt64, body: String)]] = []
            for side in sides { pages.append(try await archivedPage(side)) }
            return ArchiveQuery.merge(pages, limit: query.limit, id: \.number).map(\.body)
        }
        return try await archivedPage(query).map(\.body)
    }

    private func archivedPage(_ query: ArchiveQuery) async throws -> [(number: UInt64, body: String)] {
        let (conditions, values) = query.conditions(table: "a", placeholder: { "$\($0)" }, firstIndex: 3)
        var binds = PostgresBindings()
        binds.append(query.kind)
        binds.append(Int64(clamping: query.after))
        for value in values {
            switch value {
            case .text(let text): binds.append(text)
            case .number(let number): binds.append(Int64(clamping: number))
            }
        }
        let sql = """
            SELECT a.number, d.body FROM archive a JOIN documents d ON d.kind = a.kind AND d.id = a.id
            WHERE a.kind = $1 AND a.number > $2\(conditions) ORDER BY a.number LIMIT \(query.limit)
            """
        return try await reading {
            try await client.withConnection { connection in
                var page: [(number: UInt64, body: String)] = []
                let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
                for try await (number, body) in rows.decode((Int64, String).self) { page.append((UInt64(clamping: number), body)) }
                return page
            }
        }
    }

    public func tryToLead(advertising url: String?) async -> Bool {
        await leadership.tryToLead(advertising: url, at: Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)))
    }

    public var isLeading: Bool { leadership.isLeading }

    public func resign() async { await leadership.resign() }

    /// The URL the lock's holder recorded, only while some session holds the lock: during a
    /// failover there is none, and followers answer 503 rather than send clients to the dead.
    public func leaderURL() async throws -> String? {
        try await reading {
            var url: String?
            let key = PostgresSchema.leaderLock
            let rows = try await client.query("""
                SELECT url FROM tender_leader WHERE id = 1 AND EXISTS (
                    SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
                    AND classid = \(key >> 32)::oid AND objid = \(key & 0xFFFF_FFFF)::oid AND objsubid = 1
                    AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
                """, logger: logger)
            for try await value in rows.decode(String?.self) { url = value }
            return url
        }
    }

    public func revision() async throws -> StoreRevision {
        try await reading {
            try await client.withConnection { connection in try await revision(on: connection) }
        }
    }

    private func revision(on connection: PostgresConnection) async throws -> StoreRevision {
        var revision = StoreRevision(journal: 0, documents: 0)
        let rows = try await connection.query(
            "SELECT coalesce((SELECT max(sequence) FROM journal), 0), coalesce((SELECT max(revision) FROM documents), 0)", logger: logger
        )
        for try await (journal, documents) in rows.decode((Int64, Int64).self) {
            revision = StoreRevision(journal: UInt64(clamping: journal), documents: documents)
        }
        return revision
    }

    /// The leader writes one transaction at a time, so revisions and journal sequences commit in
    /// order: everything past `revision` in one consistent read is everything a follower missed.
    public func changes(since revision: StoreRevision) async throws -> (update: Marketplace.StoredUpdate, revision: StoreRevision)? {
        try await reading {
            try await client.withConnection { connection in
                try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
                do {
                    let now = try await self.revision(on: connection)
                    var records = MarketLoad.Records()
                    var journal: [JournalEntry] = []
                    if now != revision {
                        let after = Int64(clamping: revision.journal)
                        let entries = try await connection.query(
                            "\(unescaped: Self.selectJournal) WHERE sequence > \(after) ORDER BY sequence", logger: logger
                        )
                        for try await row in entries.decode(JournalRow.self) { journal.append(try Self.columns(row).entry()) }
                        let documents = try await connection.query("""
                            SELECT kind, id, body FROM documents WHERE revision > \(revision.documents) AND kind = ANY(\(MarketLoad.Records.kinds))
                            ORDER BY revision
                            """, logger: logger)
                        for try await (kind, id, body) in documents.decode((String, String, String).self) {
                            try records.add(kind: kind, id: id, json: body)
                        }
                    }
                    try await connection.query("COMMIT", logger: logger)
                    records.update.journal = journal
                    return (records.update, now)
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    public var statistics: GroupCommitStatistics { writer.statistics }

    public func close() async throws {
        await leadership.resign()
        runner.cancel()
        await runner.value
    }

    /// Runs `body` on a pooled connection (tests and tools that need raw SQL).
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in try await body(connection) }
    }

    // MARK: - Rows

    private typealias JournalRow = (Int64, Int64, String, String, String, String, String?, String?, String?)

    private static let selectJournal = "SELECT sequence, time, operation, postings, previous_hash, hash, request, cause, signature FROM journal"

    private static func columns(_ row: JournalRow) -> JournalColumns {
        JournalColumns(
            sequence: row.0, time: row.1, operation: row.2, postings: row.3, previousHash: row.4, hash: row.5,
            request: row.6, cause: row.7, signature: row.8
        )
    }

    /// Runs a read, turning a database error into a `StoreError` that says what the server said.
    private func reading<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.readFailed(location: postgres.description, reason: Self.describe(error))
        }
    }

    /// The server's message for a refused statement, or the error's own words.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return String(describing: underlying) }
            return "\(error.code)"
        }
        return String(describing: error)
    }
}
