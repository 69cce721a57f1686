import Foundation
import GRDB
import Testing
import TenderCore
import TenderStore

@Suite("JournalStore: append-only journal that replays to the live ledger")
struct JournalStoreTests {
    typealias F = StoreFixtures

    /// Every stored entry, read on the store's connection.
    static func stored(in database: TenderDatabase) async throws -> [JournalEntry] {
        try await database.read { db in try JournalStore.all(in: db) }
    }

    @Test("an entry's signed request, cause and controller signature are stored and read back exactly")
    func evidenceRoundTrip() async throws {
        let controller = KeyPair(), alice = KeyPair()
        let body = try JSONEncoder().encode(API.FaucetRequest(account: alice.account, amount: .credits(5)))
        let signature = try RequestSignature.sign(method: "POST", pathWithQuery: "/v1/faucet", nonce: 7, body: body, with: alice)
        let request = RequestEvidence(account: alice.account, nonce: 7, method: "POST", target: "/v1/faucet", body: body, signature: signature.signature)
        var market = Marketplace(policy: MarketPolicy(treasury: controller.account, auditPool: controller.account))
        let change = try market.onBehalf(of: request) { market throws(MarketplaceError) in
            try market.mint(try! .credits(5), to: alice.account, now: Timestamp(millis: 1))
        }
        let entries = try change.journal.map { try $0.signed(by: controller) }
        #expect(entries.first?.request == request)
        try await F.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            try await database.queue.write { db in try JournalStore.append(entries, in: db) }
            let stored = try await Self.stored(in: database)
            #expect(stored == entries)
            #expect(Ledger.verify(stored, controller: controller.account).isValid)
            #expect(!Ledger.verify(stored, controller: alice.account).isValid)
        }
    }

    @Test("entries from a live ledger read back identical after reopening, replay to it and verify")
    func roundTripAndReplay() async throws {
        let (ledger, entries) = try F.liveLedger()
        try await F.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            try await database.queue.write { db in
                try JournalStore.append(entries.prefix(5), in: db)
                try JournalStore.append(entries.dropFirst(5), in: db)
            }
            try database.close()

            let reopened = try TenderDatabase(path: url)
            let stored = try await Self.stored(in: reopened)
            #expect(stored == entries)
            #expect(try Ledger.replay(stored) == ledger)
            let verification = Ledger.verify(stored)
            #expect(verification.isValid)
            #expect(verification.entriesChecked == entries.count)
            #expect(verification.headHash == ledger.headHash)

            let (head, count, page, lastPage) = try await reopened.read { db in
                (
                    try JournalStore.head(in: db),
                    try JournalStore.count(in: db),
                    try JournalStore.page(after: 3, limit: 4, in: db),
                    try JournalStore.page(after: UInt64(entries.count - 2), limit: 10, in: db)
                )
            }
            #expect(head == entries.last)
            #expect(count == entries.count)
            #expect(page == Array(entries[3..<7]))
            #expect(page.first?.sequence == 4)
            #expect(lastPage == Array(entries.suffix(2)))
        }
    }

    @Test("an empty journal has no head and an empty first page")
    func emptyJournal() async throws {
        let database = try TenderDatabase(location: .inMemory)
        let (head, page) = try await database.read { db in
            (try JournalStore.head(in: db), try JournalStore.page(after: 0, limit: 10, in: db))
        }
        #expect(head == nil)
        #expect(page.isEmpty)
    }

    @Test("UPDATE and DELETE on the journal are refused by its triggers and change nothing")
    func appendOnly() async throws {
        let (_, entries) = try F.liveLedger()
        try await F.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            try await database.queue.write { db in try JournalStore.append(entries, in: db) }

            let statements = [
                "UPDATE journal SET time = time + 1 WHERE sequence = 2",
                "UPDATE journal SET hash = previous_hash",
                "DELETE FROM journal WHERE sequence = \(entries.count)",
                "DELETE FROM journal",
            ]
            for sql in statements {
                #expect {
                    try database.queue.write { db in try db.execute(sql: sql) }
                } throws: { error in
                    guard let error = error as? DatabaseError else { return false }
                    return error.resultCode == .SQLITE_CONSTRAINT
                        && (error.message ?? "").contains("append-only")
                }
            }
            #expect(try await Self.stored(in: database) == entries)
        }
    }

    @Test("a duplicate sequence is refused and leaves the journal unchanged")
    func duplicateSequence() async throws {
        let (_, entries) = try F.liveLedger()
        let database = try TenderDatabase(location: .inMemory)
        try await database.queue.write { db in try JournalStore.append(entries.prefix(3), in: db) }

        // The same line again, and a different line that claims an existing sequence.
        let forged = JournalEntry(
            sequence: 3, time: entries[3].time, operation: entries[3].operation,
            postings: entries[3].postings, previousHash: entries[2].hash, hash: entries[3].hash
        )
        for duplicate in [entries[1], entries[2], forged] {
            #expect(throws: DatabaseError.self) {
                try database.queue.write { db in try JournalStore.append([duplicate], in: db) }
            }
        }
        #expect(try await Self.stored(in: database) == Array(entries.prefix(3)))
    }

    @Test("an entry that skips a sequence or breaks the hash link is refused")
    func mustExtendHead() async throws {
        let (_, entries) = try F.liveLedger()
        let database = try TenderDatabase(location: .inMemory)
        try await database.queue.write { db in try JournalStore.append(entries.prefix(2), in: db) }

        let gap = entries[3]
        let brokenLink = JournalEntry(
            sequence: 3, time: entries[2].time, operation: entries[2].operation,
            postings: entries[2].postings, previousHash: entries[0].hash, hash: entries[2].hash
        )
        for entry in [gap, brokenLink] {
            #expect {
                try database.queue.write { db in try JournalStore.append([entry], in: db) }
            } throws: { error in
                ((error as? DatabaseError)?.message ?? "").contains("extend the head")
            }
        }
        #expect(try await Self.stored(in: database) == Array(entries.prefix(2)))
        // The true next entry is still accepted.
        try await database.queue.write { db in try JournalStore.append([entries[2]], in: db) }
        #expect(try await Self.stored(in: database) == Array(entries.prefix(3)))
    }

    @Test("a transaction that fails half-way through an append writes none of it")
    func rollbackOnError() async throws {
        let (_, entries) = try F.liveLedger()
        try await F.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            try await database.queue.write { db in try JournalStore.append(entries.prefix(2), in: db) }
            #expect(throws: DatabaseError.self) {
                try database.queue.write { db in
                    try JournalStore.append(entries[2..<5], in: db)
                    try JournalStore.append([entries[4]], in: db)
                }
            }
            try database.close()
            let reopened = try TenderDatabase(path: url)
            #expect(try await Self.stored(in: reopened) == Array(entries.prefix(2)))
        }
    }
}
