import Foundation
import GRDB
import Testing
import TenderStore

@Suite("TenderDatabase: durable pragmas and migrations")
struct TenderDatabaseTests {
    typealias F = StoreFixtures

    /// (synchronous, journal_mode) as the store's own connection reports them.
    static func pragmas(of database: TenderDatabase) async throws -> (Int?, String?) {
        try await database.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
    }

    // MARK: - Pragmas

    @Test("synchronous is FULL and journal_mode is WAL on a new database and after reopening it")
    func durablePragmas() async throws {
        try await F.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            let (synchronous, mode) = try await Self.pragmas(of: database)
            #expect(synchronous == TenderDatabase.synchronousFull)
            #expect(mode == "wal")
            try database.close()

            let reopened = try TenderDatabase(path: url)
            let (synchronousAgain, modeAgain) = try await Self.pragmas(of: reopened)
            #expect(synchronousAgain == 2)
            #expect(modeAgain == "wal")
            try reopened.checkDurability()
        }
    }

    @Test("the durability check refuses GRDB's own WAL set-up, which lowers synchronous to NORMAL")
    func durabilityCheckRefusesNormal() async throws {
        try await F.withTemporaryDatabase { url in
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true
            )
            var configuration = Configuration()
            configuration.journalMode = .wal
            let plain = try DatabaseQueue(path: url.path, configuration: configuration)
            #expect(throws: StoreError.synchronousNotFull(found: 1)) {
                try plain.read { db in try TenderDatabase.checkDurability(of: db, requireWAL: true) }
            }
        }
    }

    @Test("the durability check refuses a file database that is not in WAL mode")
    func durabilityCheckRefusesRollbackJournal() async throws {
        try await F.withTemporaryDatabase { url in
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true
            )
            var configuration = Configuration()
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let plain = try DatabaseQueue(path: url.path, configuration: configuration)
            #expect(throws: StoreError.journalModeNotWAL(found: "delete")) {
                try plain.read { db in try TenderDatabase.checkDurability(of: db, requireWAL: true) }
            }
        }
    }

    @Test("an in-memory database is migrated and has synchronous FULL")
    func inMemory() async throws {
        let database = try TenderDatabase(location: .inMemory)
        let (synchronous, _) = try await Self.pragmas(of: database)
        #expect(synchronous == 2)
        let applied = try await database.read { db in try StoreMigrations.applied(in: db) }
        #expect(applied == StoreMigrations.identifiers)
    }

    @Test("a path that cannot be a folder is refused with openFailed")
    func openFailure() async throws {
        try await F.withTemporaryDatabase { url in
            let folder = url.deletingLastPathComponent()
            try FileManager.default.createDirectory(
                at: folder.deletingLastPathComponent(), withIntermediateDirectories: true
            )
            try Data("not a folder".utf8).write(to: folder)
            #expect {
                _ = try TenderDatabase(path: url)
            } throws: { error in
                guard case .openFailed(let path, _) = error as? StoreError else { return false }
                return path == url.path
            }
        }
    }

    // MARK: - Migrations

    @Test("migrations run from empty and create the tables, triggers and index")
    func migrationsFromEmpty() async throws {
        try await F.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            let (applied, objects) = try await database.read { db in
                (
                    try StoreMigrations.applied(in: db),
                    try String.fetchAll(db, sql: """
                        SELECT type || ':' || name FROM sqlite_master
                        WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY 1
                        """)
                )
            }
            #expect(applied == [
                "2026-11-21-journal", "2026-11-21-documents", "2026-11-21-deadlines", "2026-11-26-journal-evidence", "2026-12-06-archive",
                "2026-12-06-archive-by-state", "2026-12-07-archive-by-pairs", "2026-12-07-journal-hash-unindexed",
            ])
            #expect(objects == [
                "index:archive_by_first", "index:archive_by_first_second", "index:archive_by_first_state", "index:archive_by_number",
                "index:archive_by_parent", "index:archive_by_second", "index:archive_by_second_state", "index:archive_by_state",
                "index:deadlines_by_due_at",
                "table:archive", "table:deadlines", "table:documents", "table:journal",
                "trigger:journal_extends_head", "trigger:journal_no_delete", "trigger:journal_no_update",
            ])
        }
    }

    @Test("reopening a migrated database runs nothing again and keeps its rows")
    func migrationsIdempotent() async throws {
        try await F.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            try await database.queue.write { db in
                try DocumentStore.put(kind: "order", id: "1", value: "kept", at: .init(millis: 5), in: db)
            }
            try database.close()

            for _ in 0..<2 {
                let reopened = try TenderDatabase(path: url)
                let (applied, kept, migrationRows) = try await reopened.read { db in
                    (
                        try StoreMigrations.applied(in: db),
                        try DocumentStore.get(String.self, kind: "order", id: "1", in: db),
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations")
                    )
                }
                #expect(applied == StoreMigrations.identifiers)
                #expect(kept == "kept")
                #expect(migrationRows == StoreMigrations.identifiers.count)
                try reopened.close()
            }
        }
    }
}
