import Foundation
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

    @Test("writes that fail together share reloads: eight failures load the market at most twice, not eight times, and change nothing")
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
                    // The first failure starts a load, held here; the other seven ask while it runs.
                    try await waitUntil("the first reload is loading") { storage.loads == loadsBefore + 1 }
                    try await waitUntil("every failed write asked for a reload") { await harness.service.reloadsAsked == failing }
                } catch {
                    storage.abandon()
                    throw error
                }
                storage.releaseLoads()
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 503, count: failing))
            // A load under way may predate a failure's change in memory, so one more load answers
            // those that asked during it: two loads, or one when every failure was in before the
            // first load began. Before, each failure loaded on its own: eight.
            #expect((1...2).contains(storage.loads - loadsBefore), "\(storage.loads - loadsBefore) loads")
            #expect((1...2).contains(await harness.service.recoveryLoads))

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
}
