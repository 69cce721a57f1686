import Foundation
import Testing
@testable import TenderCore

/// The indexes of leases by order and provider and of disputes by lease answer what scanning
/// every record would, through award, dispute, refusal, rebuild from the store and following.
@Suite("record indexes")
struct RecordIndexTests {
    /// What the indexes must agree with: a scan of every record.
    static func expectAgree(_ market: Marketplace, _ context: String = "") {
        for order in market.orders.keys {
            #expect(market.leases(ofOrder: order).map(\.id) == market.leases.values.filter { $0.order == order }.map(\.id).sorted(), "\(context)")
        }
        for provider in Set(market.leases.values.map(\.provider)) {
            #expect(market.leases(ofProvider: provider).map(\.id) == market.leases.values.filter { $0.provider == provider }.map(\.id).sorted(), "\(context)")
        }
        for lease in market.leases.keys {
            #expect(market.disputes(ofLease: lease).map(\.id) == market.disputes.values.filter { $0.lease == lease }.map(\.id).sorted(), "\(context)")
        }
    }

    @Test("award, disputes and a refused dispute keep the indexes equal to a scan")
    func throughCommands() throws {
        var world = try LeaseWorld()
        Self.expectAgree(world.market, "after the award")
        #expect(world.market.leases(ofOrder: world.order).map(\.id) == [world.leaseID])
        #expect(world.market.leases(ofProvider: world.provider).map(\.id) == [world.leaseID])
        try world.commitAndReveal()
        let first = try world.dispute(segment: 3, at: LeaseWorld.revealAt.adding(seconds: 1))
        // The same challenger twice on one lease is refused: the refusal leaves no index entry.
        #expect(throws: MarketplaceError.self) { try world.dispute(segment: 4, at: LeaseWorld.revealAt.adding(seconds: 2)) }
        let second = try world.dispute(segment: 5, by: LeaseWorld.secondChallenger, at: LeaseWorld.revealAt.adding(seconds: 3))
        #expect(world.market.disputes(ofLease: world.leaseID).map(\.id) == [first.id, second.id])
        Self.expectAgree(world.market, "after the disputes")

        // Rebuilt from the records a store keeps, the indexes come out the same.
        let market = world.market
        let rebuilt = Marketplace(
            policy: market.policy, ledger: market.ledger, accounts: Array(market.accounts.values), orders: Array(market.orders.values),
            leases: Array(market.leases.values), disputes: Array(market.disputes.values), artifacts: Array(market.artifacts.values),
            counters: market.counters
        )
        #expect(rebuilt.leasesByOrder == market.leasesByOrder)
        #expect(rebuilt.leasesByProvider == market.leasesByProvider)
        #expect(rebuilt.disputesByLease == market.disputesByLease)
    }

    @Test("a command taken back takes back the index entries it made")
    func rollback() throws {
        var world = try LeaseWorld()
        try world.commitAndReveal()
        let before = (world.market.leasesByOrder, world.market.leasesByProvider, world.market.disputesByLease)
        struct Abandon: Error {}
        let (lease, trace) = (world.leaseID, world.trace)
        var market = world.market
        var opened = 0
        do {
            try market.atomically { market throws in
                _ = try market.openDispute(
                    lease: lease, segment: 3, claim: Hashing.sha256Hex("x"), trace: trace, by: LeaseWorld.challenger,
                    now: LeaseWorld.revealAt.adding(seconds: 1)
                )
                opened = market.disputes(ofLease: lease).count
                throw Abandon()
            }
        } catch is Abandon {}
        #expect(opened == 1)
        world.market = market
        #expect(world.market.leasesByOrder == before.0 && world.market.leasesByProvider == before.1 && world.market.disputesByLease == before.2)
        #expect(world.market.disputes(ofLease: world.leaseID).isEmpty)
    }
}
