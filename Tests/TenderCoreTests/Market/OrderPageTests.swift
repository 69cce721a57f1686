import Testing
@testable import TenderCore

/// `GET /v1/orders` pages (hardening issue: the list returned the whole history to every poll).
@Suite("Order pages")
struct OrderPageTests {
    typealias F = Fixtures

    let t0 = Timestamp(millis: 10_000)

    /// Five orders, alternately the fixture submitter's and `F.account(5)`'s; the second cancelled.
    func makeMarket() throws -> (Marketplace, [OrderID]) {
        var market = Marketplace(policy: F.policy)
        for account in [F.submitter, F.account(5)] {
            _ = try market.mint(F.credits("100"), to: account, now: t0)
            try F.uploadDataset(&market, by: account, now: t0)
        }
        var ids: [OrderID] = []
        for index in 0..<5 {
            let submitter = index % 2 == 0 ? F.submitter : F.account(5)
            let (id, _) = try market.submitOrder(
                manifest: F.manifest(), manifestHash: "m\(index)", by: submitter, storedInputs: [F.datasetHash], now: t0
            )
            ids.append(id)
        }
        _ = try market.cancelOrder(ids[1], by: F.account(5), now: t0)
        return (market, ids)
    }

    @Test("orders page by id with a cursor, filtered by state and submitter")
    func pages() throws {
        let (market, ids) = try makeMarket()
        let first = market.orderPage(state: nil, submitter: nil, after: 0, limit: 2)
        #expect(first.orders.map(\.id) == [ids[0], ids[1]])
        #expect(first.next == ids[1].rawValue)
        let rest = market.orderPage(state: nil, submitter: nil, after: first.next ?? 0, limit: 10)
        #expect(rest.orders.map(\.id) == Array(ids[2...]))
        #expect(rest.next == nil)
        let open = market.orderPage(state: .open, submitter: nil, after: 0, limit: 2)
        #expect(open.orders.map(\.id) == [ids[0], ids[2]])
        let moreOpen = market.orderPage(state: .open, submitter: nil, after: open.next ?? 0, limit: 2)
        #expect(moreOpen.orders.map(\.id) == [ids[3], ids[4]])
        #expect(market.orderPage(state: nil, submitter: F.account(5), after: 0, limit: 10).orders.map(\.id) == [ids[1], ids[3]])
        #expect(market.orderPage(state: .open, submitter: F.account(5), after: 0, limit: 10).orders.map(\.id) == [ids[3]])
        #expect(market.orderPage(state: .cancelled, submitter: nil, after: 0, limit: 10).orders.map(\.id) == [ids[1]])
        #expect(market.orderPage(state: nil, submitter: nil, after: .max, limit: 10).orders.isEmpty)
    }

    @Test("the open-order index follows every state change, and is rebuilt from stored orders")
    func openIndex() throws {
        let (initial, ids) = try makeMarket()
        var market = initial
        #expect(market.openOrderIDs.elements == Set(ids).subtracting([ids[1]]))
        _ = try market.closeAuction(ids[0], beaconSecrets: [String(repeating: "ab", count: 32)], now: t0.adding(seconds: 30))
        #expect(market.orders[ids[0]]?.state == .expired)
        #expect(!market.openOrderIDs.contains(ids[0]))
        let reloaded = Marketplace(
            policy: F.policy, ledger: market.ledger, accounts: Array(market.accounts.values), orders: Array(market.orders.values),
            leases: Array(market.leases.values), artifacts: Array(market.artifacts.values), counters: market.counters
        )
        #expect(reloaded.openOrderIDs == market.openOrderIDs)
        #expect(reloaded.ordersBySubmitter == market.ordersBySubmitter)
        #expect(reloaded.artifacts == market.artifacts)
    }
}
