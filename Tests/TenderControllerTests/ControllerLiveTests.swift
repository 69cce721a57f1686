import Foundation
import GRDB
import Hummingbird
import Logging
import Testing
@testable import TenderControllerService
import TenderClient
import TenderCore
import TenderStore

/// The real controller, as `tender-controller serve` builds it, on a loopback port, driven by the
/// same signed client the CLI and the agent use.
@Suite("Controller over loopback")
struct ControllerLiveTests {
    @Test("the signed client against a live controller: faucet, transfer, order, and the ledger audit")
    func signedClientOverLoopback() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try #require(FreePort.next())
        var config = ControllerConfig()
        config.listen = "127.0.0.1:\(port)"
        var logger = Logger(label: "live-test")
        logger.logLevel = .critical
        let app = try await ControllerApplication.make(
            config: config, dev: true, store: .sqlite(directory.appendingPathComponent("tender.sqlite")),
            artifactsDirectory: directory.appendingPathComponent("artifacts"), logger: logger
        )
        let server = Task { try await app.run() }
        defer { server.cancel() }

        let base = URL(string: "http://127.0.0.1:\(port)")!
        let reader = try TenderAPIClient(baseURL: base, timeout: 5)
        var health: API.Health?
        for _ in 0..<200 where health == nil {
            health = try? await reader.health()
            if health == nil { try await Task.sleep(for: .milliseconds(25)) }
        }
        #expect(try #require(health).status == "ok")

        let alice = try TenderAPIClient(baseURL: base, key: KeyPair(), timeout: 5)
        let bob = KeyPair().account
        let minted = try await alice.faucet(Amount.credits(100))
        #expect(minted.balances.available == (try Amount.credits(100)))
        let receipt = try await alice.transfer(Amount.credits(30), to: bob)
        #expect(receipt.journal.count == 1)
        #expect(try await reader.account(bob).balances.available == (try Amount.credits(30)))

        try await alice.putArtifact(ControllerRouteTests.dataset)
        // The event stream: a new follower hears a reset first, then the order as committed; one
        // that resumes after the reset hears the order again.
        var events = reader.events().makeAsyncIterator()
        let reset = try #require(try await events.next())
        #expect(reset.kind == .reset)
        let order = try await alice.submitOrder(manifest: ControllerRouteTests.manifest, contentType: "application/yaml")
        #expect(order.order.state == .open)
        let heard = try #require(try await events.next())
        #expect(heard.kind == .order && heard.order == order.order && heard.id == reset.id + 1)
        var resumed = reader.events(after: reset.id).makeAsyncIterator()
        #expect(try await resumed.next() == heard)
        await #expect(throws: ClientError.self) {
            for try await _ in try TenderAPIClient(baseURL: base.appendingPathComponent("nowhere"), timeout: 5).events() {}
        }
        #expect(try await reader.order(order.order.id).order.submitter == alice.account)
        let escrowed = try await reader.account(try #require(alice.account)).balances.escrowed
        #expect(escrowed == (try Amount.credits(10)))

        // A refusal crosses the wire as problem+json and comes back typed.
        await #expect(throws: ClientError.self) { try await alice.transfer(Amount.credits(1_000), to: bob) }

        let audit = try await reader.auditLedger()
        #expect(audit.isValid, "\(audit.problems)")
        #expect(audit.verification.entriesChecked >= 3)
        #expect(audit.controller == health?.controller)
    }

    @Test("a controller refused at start-up after opening its database closes it again")
    func refusedStartClosesTheStore() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-refused-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("tender.sqlite")
        var config = ControllerConfig()
        config.listen = "not an address"
        var logger = Logger(label: "refused-start-test")
        logger.logLevel = .critical
        await #expect(throws: ConfigError.self) {
            _ = try await ControllerApplication.make(
                config: config, dev: true, store: .sqlite(database), artifactsDirectory: directory.appendingPathComponent("artifacts"), logger: logger
            )
        }
        #expect(FileManager.default.fileExists(atPath: database.path), "the database was opened before the refusal")
        // SQLite removes the write-ahead log when the last connection to the file closes.
        #expect(!FileManager.default.fileExists(atPath: database.path + "-wal"), "a connection was left open")
    }
}

@Suite("Controller durability settings")
struct ControllerDurabilityTests {
    @Test("the controller's connection runs synchronous = FULL in WAL mode after it opened the database and wrote")
    func synchronousIsFull() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer()
        try await harness.app.test(.router) { client in
            let (status, _) = try await client.signed(.post, "/v1/faucet", by: alice, body: json(API.FaucetRequest(account: alice.account, amount: Amount.credits(1))))
            #expect(status == .ok)
        }
        if let postgres = harness.storage as? PostgresMarketStorage {
            // Each write transaction sets synchronous_commit itself; the server must fsync.
            try await postgres.checkDurability()
            return
        }
        let database = try #require((harness.storage as? SQLiteMarketStorage)?.database)
        let (synchronous, journalMode) = try await database.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        #expect(synchronous == TenderDatabase.synchronousFull)
        #expect(journalMode?.lowercased() == "wal")
        try database.checkDurability()
    }
}
