import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TenderControllerService
import TenderCore

/// The endpoints the whole-job test does not reach, and their error statuses.
@Suite("Controller endpoints and their errors")
struct ControllerEndpointTests {
    @Test("orders: list with filters, cancel by a stranger is 403, twice is 409, bad filters are 400")
    func orders() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer(), bob = Signer()
        try await harness.app.test(.router) { client in
            try await client.signed(.post, "/v1/faucet", by: alice, body: json(API.FaucetRequest(account: alice.account, amount: Amount.credits(50))))
            try await client.fund(bob)
            #expect(try await client.upload(ControllerRouteTests.dataset, by: alice) == .created)
            #expect(try await client.signed(.post, "/v1/orders", by: alice, body: Data(ControllerRouteTests.manifest.utf8),
                                             contentType: "application/yaml").0 == .created)
            let (_, listed) = try await client.get("/v1/orders?state=open&submitter=\(alice.account.hex)")
            #expect(try decode(API.OrderList.self, listed).orders.map(\.id) == [1])
            let (_, none) = try await client.get("/v1/orders?submitter=\(bob.account.hex)")
            #expect(try decode(API.OrderList.self, none).orders.isEmpty)
            #expect(try await client.get("/v1/orders?state=bogus").0 == .badRequest)
            #expect(try await client.get("/v1/orders?submitter=bogus").0 == .badRequest)
            #expect(try await client.get("/v1/orders/99").0 == .notFound)
            #expect(try await client.signed(.post, "/v1/orders/1/cancel", by: bob).0 == .forbidden)
            #expect(try await client.signed(.post, "/v1/orders/1/cancel", by: alice).0 == .ok)
            #expect(try await client.signed(.post, "/v1/orders/1/cancel", by: alice).0 == .conflict)
            let (_, account) = try await client.get("/v1/accounts/\(alice.account.hex)")
            #expect(try decode(API.AccountView.self, account).balances.available == (try Amount.credits(50)))
        }
    }

    @Test("an order the submitter cannot pay for is refused with 409 and nothing is stored, not even its manifest")
    func unfundedOrder() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let poor = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(poor, credits: 1)
            #expect(try await client.upload(ControllerRouteTests.dataset, by: poor) == .created)
            let before = harness.storedFiles()
            let (status, body) = try await client.signed(.post, "/v1/orders", by: poor, body: Data(ControllerRouteTests.manifest.utf8),
                                                         contentType: "application/yaml")
            #expect(status == .conflict)
            #expect(try decode(API.Problem.self, body).detail.contains("available"))
            #expect(await harness.service.snapshot.orders.isEmpty)
            // The manifest used to be written before the market looked at the order.
            #expect(harness.storedFiles() == before)
            #expect(!harness.storedFiles().contains(Hashing.sha256Hex(ControllerRouteTests.manifest)))
        }
    }

    @Test("stake, unstake and withdraw: withdrawing before maturity is 409; acting for another account is 403")
    func staking() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let provider = Signer(), other = Signer()
        let base = "/v1/providers/\(provider.account.hex)"
        try await harness.app.test(.router) { client in
            try await client.signed(.post, "/v1/faucet", by: provider, body: json(API.FaucetRequest(account: provider.account, amount: Amount.credits(20))))
            try await client.fund(other)
            #expect(try await client.signed(.post, "\(base)/stake", by: provider, body: json(API.AmountRequest(amount: Amount.credits(30)))).0 == .conflict)
            #expect(try await client.signed(.post, "\(base)/stake", by: provider, body: json(API.AmountRequest(amount: Amount.credits(10)))).0 == .ok)
            #expect(try await client.signed(.post, "\(base)/stake", by: other, body: json(API.AmountRequest(amount: Amount.credits(1)))).0 == .forbidden)
            #expect(try await client.signed(.post, "\(base)/unstake", by: provider, body: json(API.AmountRequest(amount: Amount.credits(4)))).0 == .ok)
            #expect(try await client.signed(.post, "\(base)/withdraw", by: provider).0 == .conflict)
            harness.clock.advance(seconds: 3_601)
            #expect(try await client.signed(.post, "\(base)/withdraw", by: provider).0 == .ok)
            let (_, body) = try await client.get("/v1/accounts/\(provider.account.hex)")
            let view = try decode(API.AccountView.self, body)
            #expect(view.balances.available == (try Amount.credits(14)))
            #expect(view.balances.staked == (try Amount.credits(6)))
            #expect(try await client.signed(.put, base, by: provider, body: Data("inventory: 3".utf8), contentType: "application/yaml").0
                == .unprocessableContent)
        }
    }

    @Test("the journal pages, the supply adds up, and bad paging is 400")
    func journal() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer()
        try await harness.app.test(.router) { client in
            for _ in 0..<5 {
                try await client.signed(.post, "/v1/faucet", by: alice, body: json(API.FaucetRequest(account: alice.account, amount: Amount.credits(1))))
            }
            let (_, first) = try await client.get("/v1/ledger/journal?after=0&limit=2")
            let page = try decode(API.JournalPage.self, first)
            #expect(page.entries.map(\.sequence) == [1, 2])
            #expect(page.next == 2)
            let (_, rest) = try await client.get("/v1/ledger/journal?after=2&limit=100")
            #expect(try decode(API.JournalPage.self, rest).entries.map(\.sequence) == [3, 4, 5])
            #expect(try decode(API.JournalPage.self, rest).next == nil)
            #expect(try await client.get("/v1/ledger/journal?limit=0").0 == .badRequest)
            #expect(try await client.get("/v1/ledger/journal?after=-1").0 == .badRequest)
            let (_, supply) = try await client.get("/v1/ledger/supply")
            #expect(try decode(LedgerTotals.self, supply).minted == (try Amount.credits(5)))
        }
    }
}
