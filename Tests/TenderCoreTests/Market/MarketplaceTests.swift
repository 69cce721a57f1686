import Testing
@testable import TenderCore

@Suite("Marketplace commands")
struct MarketplaceTests {
    typealias F = Fixtures

    let t0 = Timestamp(millis: 10_000)

    func funded() throws -> Marketplace {
        var market = Marketplace(policy: F.policy)
        _ = try market.mint(F.credits("100"), to: F.submitter, now: t0)
        try F.uploadDataset(&market, now: t0)
        for byte: UInt8 in [1, 2] {
            _ = try market.mint(F.credits("50"), to: F.account(byte), now: t0)
            _ = market.register(profile: F.profile(), for: F.account(byte), now: t0)
            _ = try market.stake(F.credits("20"), account: F.account(byte), now: t0)
        }
        return market
    }

    @Test("nonces must strictly increase per account")
    func nonces() throws {
        var market = Marketplace(policy: F.policy)
        _ = try market.acceptNonce(5, for: F.account(1), now: t0)
        #expect(throws: MarketplaceError.staleNonce(account: F.account(1), nonce: 5, last: 5)) { try market.acceptNonce(5, for: F.account(1), now: t0) }
        #expect(throws: MarketplaceError.self) { try market.acceptNonce(4, for: F.account(1), now: t0) }
        _ = try market.acceptNonce(1, for: F.account(2), now: t0)
        _ = try market.acceptNonce(6, for: F.account(1), now: t0)
        #expect(market.account(F.account(1)).lastNonce == 6)
    }

    @Test("a job goes from order to settlement, reporting what changed at each step")
    func wholeJob() throws {
        var market = try funded()
        let fundingEntries = market.ledger.sequence
        var journal: [JournalEntry] = []
        let (orderID, submitted) = try market.submitOrder(manifest: F.manifest(), manifestHash: "mh", by: F.submitter, storedInputs: [F.datasetHash], now: t0)
        journal += submitted.journal
        #expect(submitted.journal.count == 1)
        #expect(submitted.deadlines == [Deadline(kind: .auctionClose, subject: orderID.rawValue, at: t0.adding(seconds: 30))])
        _ = try market.placeBid(on: orderID, by: F.account(1), price: F.credits("3"), now: t0)
        _ = try market.placeBid(on: orderID, by: F.account(2), price: F.credits("4"), now: t0)

        let closeAt = t0.adding(seconds: 30)
        let cleared = try market.closeAuction(orderID, beaconSecrets: [String(repeating: "ab", count: 32)], now: closeAt)
        journal += cleared.journal
        let lease = try #require(market.leases(ofOrder: orderID).first)
        #expect(lease.provider == F.account(1))
        #expect(cleared.leases == [lease.id])
        #expect(cleared.deadlines.map(\.kind) == [Deadline.Kind.leaseCheck])

        _ = try market.heartbeat(lease: lease.id, by: F.account(1), step: 5, loss: 0.7, now: closeAt.adding(seconds: 10))
        #expect(cleared.beaconSecrets == [lease.id: String(repeating: "ab", count: 32)])
        #expect(lease.beaconCommitment == (try Beacon.commitment(ofSecret: String(repeating: "ab", count: 32))))
        // This provider never commits: at the deadline the lease fails, the escrow goes back and the
        // liveness penalty is burned (the full commit-audit-settle path is in LeaseVerificationTests).
        let failed = try market.checkLease(lease.id, now: lease.deadline)
        journal += failed.journal
        #expect(market.leases[lease.id]?.state == .failed)
        #expect(failed.journal.count == 3) // refund, burn the penalty, unlock the rest
        #expect(market.ledger.burned == F.credits("0.5"))
        #expect(market.orders[orderID]?.escrow == .zero)
        #expect(market.account(F.account(1)).reputationBasisPoints < Reputation.initialBasisPoints)
        #expect(market.ledger.invariantHolds)
        // The changes carried every journal entry, in sequence, ending at the ledger's head.
        #expect(journal.map(\.sequence) == Array((fundingEntries + 1)...market.ledger.sequence))
        #expect(journal.last?.hash == market.ledger.headHash)
    }

    @Test("a refused command leaves the whole market unchanged")
    func refusedIsAtomic() throws {
        var market = try funded()
        let before = market
        let poor = F.account(7)
        #expect(throws: MarketplaceError.self) { try market.submitOrder(manifest: F.manifest(), manifestHash: "mh", by: poor, storedInputs: [F.datasetHash], now: t0) }
        #expect(market.orders.isEmpty)
        #expect(market.counters == before.counters)
        #expect(market.ledger == before.ledger)
        #expect(throws: MarketplaceError.notFound("order 99")) { try market.placeBid(on: 99, by: F.account(1), price: F.credits("1"), now: t0) }
        #expect(throws: MarketplaceError.self) { try market.transfer(F.credits("1000"), from: F.account(1), to: F.account(2), now: t0) }
        #expect(market.ledger == before.ledger)
    }

    @Test("unbonding waits for the provider's open leases to pass their windows")
    func unbondingWaitsForLeases() throws {
        var market = try funded()
        let (orderID, _) = try market.submitOrder(manifest: F.manifest(), manifestHash: "mh", by: F.submitter, storedInputs: [F.datasetHash], now: t0)
        _ = try market.placeBid(on: orderID, by: F.account(1), price: F.credits("3"), now: t0)
        _ = try market.closeAuction(orderID, beaconSecrets: [String(repeating: "cd", count: 32)], now: t0.adding(seconds: 30))
        let lease = try #require(market.leases(ofOrder: orderID).first)
        _ = try market.unstake(F.credits("1"), account: F.account(1), now: t0.adding(seconds: 31))
        let entry = try #require(market.ledger.unbondingEntries(of: F.account(1)).first)
        #expect(entry.releaseAt == lease.deadline.adding(seconds: lease.challengeWindowSeconds))
        #expect(throws: MarketplaceError.self) { try market.withdraw(account: F.account(1), now: t0.adding(seconds: 4_000)) }
    }
}
