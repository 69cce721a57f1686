import Foundation
import GRDB
import Testing
import TenderCore
@testable import TenderStore

@Suite("Migration 2026-12-07: the journal without its index on hash")
struct JournalHashMigrationTests {
    typealias F = StoreFixtures

    /// The names of the journal's indexes and triggers.
    static func journalObjects(in db: Database) throws -> (indexes: [String], triggers: [String]) {
        (
            try String.fetchAll(db, sql: "SELECT name FROM pragma_index_list('journal') ORDER BY name"),
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'journal' ORDER BY name")
        )
    }

    /// Faucet mints made on behalf of signed requests, each entry signed by `controller`: every
    /// column of the journal filled.
    static func evidencedEntries(controller: KeyPair, count: Int) throws -> [JournalEntry] {
        let alice = KeyPair()
        var market = Marketplace(policy: MarketPolicy(treasury: controller.account, auditPool: controller.account))
        var entries: [JournalEntry] = []
        for nonce in 1...UInt64(count) {
            let body = try JSONEncoder().encode(API.FaucetRequest(account: alice.account, amount: .credits(5)))
            let signature = try RequestSignature.sign(method: "POST", pathWithQuery: "/v1/faucet", nonce: nonce, body: body, with: alice)
            let request = RequestEvidence(
                account: alice.account, nonce: nonce, method: "POST", target: "/v1/faucet", body: body, signature: signature.signature
            )
            let change = try market.onBehalf(of: request) { market throws(MarketplaceError) in
                try market.mint(try! .credits(5), to: alice.account, now: Timestamp(millis: Int64(nonce) * 1_000))
            }
            entries += try change.journal.map { try $0.signed(by: controller) }
        }
        return entries
    }

    @Test("a journal written before the migration keeps every row and trigger, loses the hash index, and still grows")
    func rebuildKeepsTheJournal() async throws {
        let controller = KeyPair()
        let entries = try Self.evidencedEntries(controller: controller, count: 5)
        #expect(entries.allSatisfy { $0.request != nil && $0.signature != nil })
        let (written, next) = (Array(entries.dropLast()), entries[entries.count - 1])

        try await F.withTemporaryDatabase { url in
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // A database as the release before this migration left it, holding a journal.
            let old = try DatabaseQueue(path: url.path)
            try StoreMigrations.migrator.migrate(old, upTo: StoreMigrations.archiveByPairs)
            try await old.write { db in try JournalStore.append(written, in: db) }
            let before = try await old.read { db in try Self.journalObjects(in: db) }
            #expect(before.indexes.count == 1)
            #expect(before.triggers == ["journal_extends_head", "journal_no_delete", "journal_no_update"])
            try old.close()

            let database = try TenderDatabase(path: url)
            let (applied, after, stored) = try await database.read { db in
                (try StoreMigrations.applied(in: db), try Self.journalObjects(in: db), try JournalStore.all(in: db))
            }
            #expect(applied.last == "2026-12-07-journal-hash-unindexed")
            #expect(after.indexes.isEmpty)
            #expect(after.triggers == before.triggers)
            #expect(stored == written)
            #expect(Ledger.verify(stored, controller: controller.account).isValid)

            // The triggers still hold: no rewrite, no gap, no broken link; the true next entry goes in.
            for sql in ["UPDATE journal SET time = time + 1 WHERE sequence = 1", "DELETE FROM journal WHERE sequence = 1"] {
                #expect {
                    try database.queue.write { db in try db.execute(sql: sql) }
                } throws: { error in ((error as? DatabaseError)?.message ?? "").contains("append-only") }
            }
            let relinked = JournalEntry(
                sequence: next.sequence, time: next.time, operation: next.operation,
                postings: next.postings, previousHash: written[0].hash, hash: next.hash
            )
            #expect {
                try database.queue.write { db in try JournalStore.append([relinked], in: db) }
            } throws: { error in ((error as? DatabaseError)?.message ?? "").contains("extend the head") }
            try await database.queue.write { db in try JournalStore.append([next], in: db) }
            #expect(try await database.read { db in try JournalStore.all(in: db) } == entries)
            try database.close()
        }
    }
}
