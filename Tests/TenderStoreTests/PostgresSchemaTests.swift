import Foundation
import Logging
import PostgresNIO
import Testing
import TenderCore
import TenderStore

/// What only PostgreSQL needs checking: the journal's triggers against raw SQL, migrations run
/// once when several controllers start together, and clear refusals. Runs when
/// `TENDER_TEST_POSTGRES` names a server.
@Suite("PostgreSQL schema", .enabled(if: StoreBackend.postgresServer != nil, "TENDER_TEST_POSTGRES names no server"))
struct PostgresSchemaTests {
    let policy = MarketPolicy(treasury: StoreFixtures.treasury, auditPool: StoreFixtures.treasury)
    let now = Timestamp(millis: 1_700_000_000_000)

    @Test("journal rows cannot be updated, deleted or truncated, even with raw SQL")
    func journalIsAppendOnly() async throws {
        try await StoreBackend.postgres.withScratchStore { store in
            var market = Marketplace(policy: policy)
            let change = try market.mint(StoreFixtures.micros(5), to: StoreFixtures.alice, now: now)
            try await store.storage.write(StoreFixtures.records(change, market), at: now)
            let postgres = try #require(store.storage as? PostgresMarketStorage)
            let logger = StoreBackend.logger
            for statement in ["UPDATE journal SET time = 0", "DELETE FROM journal", "TRUNCATE journal"] {
                let refusal = await #expect(throws: PSQLError.self) {
                    try await postgres.withConnection { try await $0.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                }
                #expect(refusal?.serverInfo?[.message]?.contains("append-only") == true, "\(statement)")
            }
            #expect(try await store.storage.wholeJournal().count == 1)
        }
    }

    @Test("three controllers opening a new database at once run its migrations once")
    func concurrentMigrations() async throws {
        let server = try #require(StoreBackend.postgresServer)
        let logger = StoreBackend.logger
        let location = try await PostgresAdmin.createScratchDatabase(on: server, logger: logger)
        let name = location.database
        defer { Task { try? await PostgresAdmin.dropDatabase(name, on: server, logger: logger) } }
        let opened = try await withThrowingTaskGroup(of: PostgresMarketStorage.self) { group in
            for _ in 0..<3 { group.addTask { try await PostgresMarketStorage(location, logger: logger) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let migrations = try await opened[0].withConnection { connection in
            try await connection.query("SELECT count(*) FROM tender_migrations", logger: logger).collect().first?.decode(Int64.self)
        }
        // Each migration once: the initial schema, the archive, its index by state and by pairs,
        // the journal's hash unindexed.
        #expect(migrations == 5)
        let hashConstraints = try await opened[0].withConnection { connection in
            try await connection.query(
                "SELECT count(*) FROM pg_constraint WHERE conrelid = 'journal'::regclass AND contype = 'u'", logger: logger
            ).collect().first?.decode(Int64.self)
        }
        #expect(hashConstraints == 0)
        for storage in opened { try await storage.close() }
    }
}

extension PostgresSchemaTests {
    /// The lead is the lock's session: ended from outside (an administrator, a server restart, a
    /// network that ate it), the leader finds out at its next heartbeat and stops writing, the
    /// leader's URL is no longer handed out, and another controller can lead.
    @Test("a leader whose lock session is ended stops writing; nobody is named leader until another takes the lock", .timeLimit(.minutes(1)))
    func endedLockSession() async throws {
        let server = try #require(StoreBackend.postgresServer)
        let logger = StoreBackend.logger
        let location = try await PostgresAdmin.createScratchDatabase(on: server, logger: logger)
        let name = location.database
        defer { Task { try? await PostgresAdmin.dropDatabase(name, on: server, logger: logger) } }
        let first = try await PostgresMarketStorage(location, logger: logger)
        let second = try await PostgresMarketStorage(location, logger: logger)
        #expect(await first.tryToLead(advertising: "http://first:1"))
        #expect(await !second.tryToLead(advertising: "http://second:1"))
        #expect(try await second.leaderURL() == "http://first:1")
        #expect(first.isLeading)

        let ended = try await second.withConnection { connection in
            try await connection.query("""
                SELECT pg_terminate_backend(pid) FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND objid = \(0x0000_0002 as Int64)::oid AND pid <> pg_backend_pid()
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """, logger: logger).collect().count
        }
        #expect(ended == 1)
        // The leader's next heartbeat finds its session gone.
        for _ in 0..<100 where first.isLeading { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!first.isLeading)
        var records = MarketRecords()
        records.beaconSecrets = [(lease: 1, secret: "late")]
        await #expect(throws: StoreError.notLeading) { try await first.write(records, at: Timestamp(millis: 0)) }
        #expect(try await second.leaderURL() == nil)
        #expect(await second.tryToLead(advertising: "http://second:1"))
        #expect(try await first.leaderURL() == "http://second:1")
        try await first.close()
        try await second.close()
    }
}

/// A `postgres://` location is parsed with clear refusals, on any machine.
@Suite("PostgreSQL locations")
struct PostgresLocationTests {
    @Test("a URL that names no user or database, or a server that is not there, is refused with what to fix")
    func refusals() async throws {
        #expect(throws: StoreError.self) { try PostgresLocation(url: "postgres://localhost/db") }
        #expect(throws: StoreError.self) { try PostgresLocation(url: "postgres://me@localhost/") }
        #expect(throws: StoreError.self) { try PostgresLocation(url: "postgres://me@localhost/db?sslmode=maybe") }
        let secret = try #require(throws: StoreError.self) { try PostgresLocation(url: "postgres://me:hunter2@localhost:99999/db") }
        #expect(!secret.description.contains("hunter2"))
        // A password a URL parser trips on is not printed either.
        let awkward = try #require(throws: StoreError.self) { try PostgresLocation(url: "postgres://me:p@ss#w/rd@db/tender") }
        #expect(!awkward.description.contains("ss#w/rd"), "\(awkward)")
        #expect(try PostgresLocation(url: "POSTGRES://me@db/tender").database == "tender")
        // A mistyped URL is refused, not taken as the name of a new SQLite file.
        for typo in ["postgres:/me@db/tender", "pg://me@db/tender", "postgresql:me@db"] {
            #expect(throws: StoreError.self, "\(typo)") { try StoreLocation(typo) }
        }
        #expect(try StoreLocation("postgres.sqlite").file?.lastPathComponent == "postgres.sqlite")
        let location = try PostgresLocation(url: "postgres://me:pw@127.0.0.1:1/db?sslmode=disable")
        #expect(location.description == "postgres://me@127.0.0.1:1/db")
        let unreachable = await #expect(throws: StoreError.self) { try await PostgresMarketStorage(location, logger: StoreBackend.logger) }
        #expect(unreachable?.description.contains("cannot reach the database at postgres://me@127.0.0.1:1/db") == true)
    }
}
