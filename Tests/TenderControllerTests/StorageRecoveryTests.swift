import Foundation
import GRDB
import Synchronization
import HummingbirdTesting
@testable import TenderControllerService
import TenderCore
import TenderStore
import Testing

/// What the controller does when a write it made in memory does not reach the disk: it answers
/// 503 and reloads the market from the store, so memory never runs ahead of what is durable.
@Suite("Recovery from a failed write")
struct StorageRecoveryTests {
    /// A controller whose store is wrapped in a `FaultyStorage`.
    static func harness() async throws -> (ControllerHarness, FaultyStorage) {
        let faulty = Mutex<FaultyStorage?>(nil)
        let harness = try await ControllerHarness(wrapping: { base in
            let storage = FaultyStorage(base)
            faulty.withLock { $0 = storage }
            return storage
        })
        return (harness, try #require(faulty.withLock { $0 }))
    }

    @Test("writes that fail together share a reload: eight failures load the market once, not eight times, and change nothing")
    func failuresShareReloads() async throws {
        let (harness, storage) = try await Self.harness()
        defer { harness.cleanUp() }
        let failing = 8
        // One sender per transfer: each account's nonces must arrive in order.
        let senders = (0..<failing).map { _ in Signer() }
        let alice = senders[0], bob = Signer()
        try await harness.app.test(.router) { client in
            for sender in senders { try await client.fund(sender) }
            let loadsBefore = storage.loads

            storage.failTogether(failing)
            storage.holdLoads()
            let transfer = try json(API.TransferRequest(to: bob.account, amount: Amount.credits(1)))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for sender in senders {
                    group.addTask { Int(try await client.signed(.post, "/v1/transfers", by: sender, body: transfer).0.code) }
                }
                do {
                    // The load begins once all eight writes are answered, and is held here.
                    try await waitUntil("the reload is loading") { storage.loads == loadsBefore + 1 }
                    try await waitUntil("every failed write asked for a reload") { await harness.service.reloadsAsked == failing }
                } catch {
                    storage.abandon()
                    throw error
                }
                storage.releaseLoads()
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 503, count: failing))
            // The load waited for every write in flight, so all eight failures had asked before it
            // began: one load. Before, each failure loaded on its own (eight); without the wait
            // for writes in flight, the first load begins at once and a second answers the rest.
            #expect(storage.loads - loadsBefore == 1, "\(storage.loads - loadsBefore) loads")
            #expect(await harness.service.recoveryLoads == 1)

            // Nothing of the failed transfers is in memory: balances as funded, and the next
            // transfer extends the store's journal.
            let (_, body) = try await client.get("/v1/accounts/\(alice.account)")
            #expect(try decode(API.AccountView.self, body).balances.available == Amount.credits(100))
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer).0 == .ok)
            let head = try await harness.storage.revision().journal
            #expect(await harness.service.read { $0.ledger.sequence } == head)
        }
    }

    @Test("a recovery load that fails is tried again, so memory does not keep a change the store refused")
    func failedLoadRetried() async throws {
        let (harness, storage) = try await Self.harness()
        defer { harness.cleanUp() }
        let alice = Signer(), bob = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            let loadsBefore = storage.loads
            storage.failTogether(1)
            storage.failLoads(MarketService.recoveryLoadRetries)
            let transfer = try json(API.TransferRequest(to: bob.account, amount: Amount.credits(1)))
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer).0 == .serviceUnavailable)
            // Two loads failed; the third took the market back to what the store holds.
            #expect(storage.loads == loadsBefore + MarketService.recoveryLoadRetries + 1)
            let (_, body) = try await client.get("/v1/accounts/\(alice.account)")
            #expect(try decode(API.AccountView.self, body).balances.available == Amount.credits(100))
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer).0 == .ok)
        }
    }

    @Test("a command that arrives while the market reloads waits for the reload: the market installed has its change")
    func commandsWaitForReload() async throws {
        let (harness, storage) = try await Self.harness()
        defer { harness.cleanUp() }
        let alice = Signer(), carol = Signer(), bob = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            try await client.fund(carol)
            // A refused transfer commits its nonce alone: a write with no journal entry, so the
            // change after it extends the store's journal and could commit during the load.
            storage.failTogether(1)
            storage.holdLoads(afterReading: true)
            let tooMuch = try json(API.TransferRequest(to: bob.account, amount: Amount.credits(1_000)))
            let transfer = try json(API.TransferRequest(to: bob.account, amount: Amount.credits(1)))
            let (refused, carols) = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                group.addTask { ("alice", Int(try await client.signed(.post, "/v1/transfers", by: alice, body: tooMuch).0.code)) }
                do {
                    try await waitUntil("the reload has read the store") { storage.loadsRead == 1 }
                    let committed = storage.statistics.itemsCommitted
                    group.addTask { ("carol", Int(try await client.signed(.post, "/v1/transfers", by: carol, body: transfer).0.code)) }
                    // Carol's transfer is held until the reload is installed. Before, it committed
                    // while the load was held, and the market installed after did not have it.
                    try await waitUntil("carol's transfer is held or committed") {
                        await harness.service.commandsHeld == 1 || storage.statistics.itemsCommitted > committed
                    }
                } catch {
                    storage.abandon()
                    throw error
                }
                storage.releaseLoads()
                var answers: [String: Int] = [:]
                for try await (who, status) in group { answers[who] = status }
                return (answers["alice"], answers["carol"])
            }
            #expect(refused == 503)
            #expect(carols == 200)
            // Memory holds what the store holds: carol's transfer, and her nonce used.
            let head = try await harness.storage.revision().journal
            #expect(await harness.service.read { $0.ledger.sequence } == head)
            let (_, body) = try await client.get("/v1/accounts/\(carol.account)")
            #expect(try decode(API.AccountView.self, body).balances.available == Amount.credits(99))
            #expect(await harness.service.commandsHeld == 0)
        }
    }

    @Test("a reload loads only once the writes in flight are answered: one that commits meanwhile is in the market installed")
    func reloadWaitsForWritesInFlight() async throws {
        let (harness, storage) = try await Self.harness()
        defer { harness.cleanUp() }
        let alice = Signer(), carol = Signer(), bob = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            try await client.fund(carol)
            let transfer = try json(API.TransferRequest(to: bob.account, amount: Amount.credits(1)))
            storage.delayWrites(1)
            storage.holdLoads(afterReading: true)
            let statuses = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                // Carol's transfer is made in memory and handed to the store, which holds it.
                group.addTask { ("carol", Int(try await client.signed(.post, "/v1/transfers", by: carol, body: transfer).0.code)) }
                do {
                    try await waitUntil("carol's write is in flight") { storage.delayedWrites == 1 }
                    // Alice's transfer, made after carol's, fails: a reload is asked for.
                    storage.failTogether(1)
                    group.addTask { ("alice", Int(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer).0.code)) }
                    // Before, the load read the store at once, without carol's transfer, and
                    // installed a market that did not have it once her write committed.
                    try await waitUntil("the reload waits for carol's write, or has read the store") {
                        await harness.service.reloadAwaitsWrites || storage.loadsRead == 1
                    }
                } catch {
                    storage.abandon()
                    throw error
                }
                do {
                    storage.releaseWrites()
                    try await waitUntil("the reload has read the store") { storage.loadsRead == 1 }
                } catch {
                    storage.abandon()
                    throw error
                }
                storage.releaseLoads()
                var answers: [String: Int] = [:]
                for try await (who, status) in group { answers[who] = status }
                return answers
            }
            #expect(statuses == ["carol": 200, "alice": 503])
            let head = try await harness.storage.revision().journal
            #expect(await harness.service.read { $0.ledger.sequence } == head)
            let (_, body) = try await client.get("/v1/accounts/\(carol.account)")
            #expect(try decode(API.AccountView.self, body).balances.available == Amount.credits(99))
        }
    }

    @Test("a reload does not take a journal that another key signed since start-up: the leader stops writing, without loading again, until the database is repaired")
    func reloadRefusesAnotherKeysHead() async throws {
        let (harness, storage) = try await Self.harness()
        defer { harness.cleanUp() }
        let alice = Signer(), bob = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            let before = try await harness.storage.revision().journal
            // Someone with write access to the database, but not the key, appends a mint to alice
            // and signs the new head with a key of their own.
            var ledger = await harness.service.read { $0.ledger }
            var forged = MarketRecords()
            forged.journal = [try ledger.apply(.mint(to: alice.account, amount: Amount.credits(1_000)), at: .wallClock)]
            forged.signer = KeyPair()
            try await storage.base.write(forged, at: .wallClock)

            // The next write fails, and the reload finds the forged head: refused, not retried.
            let loadsBefore = storage.loads
            storage.failTogether(1)
            let transfer = try json(API.TransferRequest(to: bob.account, amount: Amount.credits(1)))
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer).0 == .serviceUnavailable)
            #expect(storage.loads == loadsBefore + 1)
            #expect(await harness.service.recoveryLoads == 1)
            #expect(harness.service.refusesItsStore)
            // The forged mint is not in memory (which still holds the transfer the store refused,
            // as after any reload that fails; it was answered 503).
            let (_, body) = try await client.get("/v1/accounts/\(alice.account)")
            #expect(try decode(API.AccountView.self, body).balances.available < Amount.credits(100))
            #expect(await harness.service.read { $0.ledger.headHash } != ledger.headHash)
            // Writes are answered 503 at once, their nonces kept, and load nothing; nor does a
            // look at the store while it has not moved.
            let (status, answer) = try await client.signed(.post, "/v1/transfers", by: alice, body: transfer)
            #expect(status == .serviceUnavailable)
            #expect(String(decoding: answer, as: UTF8.self).contains("Database refused"))
            await harness.service.replicate()
            #expect(storage.loads == loadsBefore + 1)

            // The database repaired (the forged entry removed): the next look loads it, and the
            // controller writes again.
            guard case .sqlite(let file) = harness.store.location else { return }
            let database = try DatabaseQueue(path: file.path)
            try await database.write { db in
                try db.execute(sql: "DROP TRIGGER journal_no_delete")
                try db.execute(sql: "DELETE FROM journal WHERE sequence > ?", arguments: [Int64(before)])
            }
            try database.close()
            await harness.service.replicate()
            #expect(!harness.service.refusesItsStore)
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer).0 == .ok)
            let (_, after) = try await client.get("/v1/accounts/\(bob.account)")
            #expect(try decode(API.AccountView.self, after).balances.available == Amount.credits(1))
        }
    }

    @Test("a reload does not take a journal cut back below a head the controller saw committed, though the key signed it")
    func reloadRefusesACutBackJournal() async throws {
        let (harness, storage) = try await Self.harness()
        defer { harness.cleanUp() }
        // Cut with SQL on the file: on PostgreSQL the floor is tested in MarketLoadTrustTests.
        guard case .sqlite(let file) = harness.store.location else { return }
        let alice = Signer(), bob = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            let before = try await harness.storage.revision().journal
            let transfer = try json(API.TransferRequest(to: bob.account, amount: Amount.credits(1)))
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer).0 == .ok)
            // Someone with the file cuts the journal back to the head before the transfer, which
            // the controller's key signed: the transfer never happened, as far as the file says.
            let database = try DatabaseQueue(path: file.path)
            try await database.write { db in
                try db.execute(sql: "DROP TRIGGER journal_no_delete")
                try db.execute(sql: "DELETE FROM journal WHERE sequence > ?", arguments: [Int64(before)])
            }
            try database.close()

            // The next write fails to extend the journal, and the reload refuses the cut one.
            let loadsBefore = storage.loads
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer).0 == .serviceUnavailable)
            #expect(storage.loads == loadsBefore + 1)
            #expect(harness.service.refusesItsStore)
            #expect(await harness.service.read { $0.ledger.sequence } > before)
            let (_, body) = try await client.get("/v1/accounts/\(bob.account)")
            // The committed transfer is still in memory (with the refused one, as after any
            // reload that fails; it was answered 503).
            #expect(try decode(API.AccountView.self, body).balances.available >= Amount.credits(1))
        }
    }
}
