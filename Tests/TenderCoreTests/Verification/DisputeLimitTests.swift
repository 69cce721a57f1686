import Foundation
import Testing
@testable import TenderCore

/// A crowd of disputes must not bury an honest provider: one open dispute per challenger per
/// lease, a cap per lease, and no free bonds.
@Suite("Dispute limits")
struct DisputeLimitTests {
    typealias W = LeaseWorld
    typealias F = Fixtures

    @Test("a challenger holds one open dispute per lease, whatever the segment")
    func onePerChallenger() throws {
        var world = try W()
        try world.commitAndReveal()
        _ = try world.dispute(segment: 3, at: W.revealAt)
        let error = #expect(throws: MarketplaceError.self) { _ = try world.dispute(segment: 5, at: W.revealAt) }
        #expect(error?.isWrongState == true)
        // Another challenger may still dispute.
        _ = try world.dispute(segment: 5, by: W.secondChallenger, at: W.revealAt)
    }

    @Test("a lease takes at most maxOpenDisputesPerLease open disputes")
    func capPerLease() throws {
        var world = try W()
        world.market.policy.maxOpenDisputesPerLease = 2
        try world.commitAndReveal()
        _ = try world.dispute(segment: 1, by: W.challenger, at: W.revealAt)
        _ = try world.dispute(segment: 2, by: W.secondChallenger, at: W.revealAt)
        let third = F.account(4)
        _ = try world.market.mint(F.credits("10"), to: third, now: W.revealAt)
        _ = try world.market.stake(F.credits("2"), account: third, now: W.revealAt)
        let before = world.market.ledger
        let error = #expect(throws: MarketplaceError.self) { _ = try world.dispute(segment: 3, by: third, at: W.revealAt) }
        #expect(error?.isWrongState == true)
        #expect(world.market.ledger == before, "a refused dispute takes no bond")
    }

    @Test("a dispute on a lease without collateral still costs the minimum bond")
    func minimumBond() throws {
        let policy = MarketPolicy(treasury: F.account(0xEE), auditPool: F.account(0xEF))
        #expect(try policy.disputeBond(forCollateral: .zero) == policy.minimumDisputeBond)
        #expect(try policy.disputeBond(forCollateral: F.credits("5")) == F.credits("1"))
        #expect(policy.minimumDisputeBond == F.credits("0.1"))
    }
}

@Suite("Disputes the referee cannot rule on")
struct VoidedDisputeTests {
    @Test("a dispute voided because the referee cannot execute the step returns the bond and leaves the lease to settle")
    func voided() throws {
        var world = try LeaseWorld()
        try world.commitAndReveal()
        let challenger = LeaseWorld.challenger
        let before = world.balances(challenger)
        let dispute = try world.dispute(at: LeaseWorld.revealAt)
        _ = try world.market.voidDispute(dispute.id, because: "no referee here", now: LeaseWorld.revealAt.adding(seconds: 1))
        let ruled = try world.dispute(dispute.id)
        #expect(ruled.ruling?.winner == nil)
        #expect(ruled.ruling?.reason == .refereeUnavailable)
        #expect(world.balances(challenger) == before)
        #expect(try world.lease().openDisputes.isEmpty)
        #expect(try world.lease().state == .auditing, "the lease goes back to waiting for its audit and window")
        #expect(world.market.ledger.invariantHolds)
    }
}
