import Testing
@testable import TenderCore

/// A command changes the market in place and takes its writes back on refusal (performance issue):
/// nested calls, as the controller makes them (the nonce, then the command), undo exactly.
@Suite("Market atomicity")
struct AtomicityTests {
    typealias F = Fixtures

    let t0 = Timestamp(millis: 10_000)

    struct Failure: Error {}

    /// Everything a command can change, compared whole.
    struct Picture: Equatable {
        let ledger: Ledger
        let accounts: [AccountID: AccountRecord]
        let orders: [OrderID: Order]
        let open: Set<OrderID>
        let bySubmitter: [AccountID: [OrderID]]
        let artifacts: [String: ArtifactRecord]
        let counters: Marketplace.Counters

        init(_ market: Marketplace) {
            ledger = market.ledger
            accounts = market.accounts.dictionary
            orders = market.orders.dictionary
            open = market.openOrderIDs.elements
            bySubmitter = market.ordersBySubmitter.dictionary
            artifacts = market.artifacts.dictionary
            counters = market.counters
        }
    }

    func fundedMarket() throws -> Marketplace {
        var market = Marketplace(policy: F.policy)
        _ = try market.mint(F.credits("100"), to: F.submitter, now: t0)
        try F.uploadDataset(&market, by: F.submitter, now: t0)
        return market
    }

    @Test("a request whose command succeeds but whose outer step then fails leaves nothing behind")
    func outerFailureUndoesFinishedInnerCommands() throws {
        var market = try fundedMarket()
        let before = Picture(market)
        #expect(throws: Failure.self) {
            try market.atomically { market throws(any Error) in
                _ = try market.acceptNonce(1, for: F.submitter, now: t0)
                _ = try market.submitOrder(
                    manifest: F.manifest(), manifestHash: "m", by: F.submitter, storedInputs: [F.datasetHash], now: t0
                )
                _ = try market.transfer(F.credits("1"), from: F.submitter, to: F.account(7), now: t0)
                throw Failure()
            }
        }
        #expect(Picture(market) == before)
        #expect(market.openTransactions == 0)
        // The same commands succeed afterwards and give the same ids as if nothing had happened.
        let (id, _) = try market.submitOrder(
            manifest: F.manifest(), manifestHash: "m", by: F.submitter, storedInputs: [F.datasetHash], now: t0
        )
        #expect(id == before.counters.nextOrder)
    }

    @Test("an inner refusal takes back only the inner command; the outer call's writes stay")
    func innerFailureKeepsOuterWrites() throws {
        var market = try fundedMarket()
        try market.atomically { market throws(MarketplaceError) in
            _ = try market.acceptNonce(5, for: F.submitter, now: t0)
            let beforeInner = Picture(market)
            // More than the submitter has: the ledger refuses after the nonce was written.
            #expect(throws: MarketplaceError.self) {
                try market.transfer(F.credits("1000"), from: F.submitter, to: F.account(7), now: t0)
            }
            #expect(Picture(market) == beforeInner)
        }
        #expect(market.account(F.submitter).lastNonce == 5)
        #expect(market.ledger.balances(of: F.account(7)).isEmpty)
        #expect(market.accounts.mark == 0, "the undo log is dropped once the outermost call ends")
    }
}
