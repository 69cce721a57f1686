import Foundation
import Testing
@testable import TenderCore

/// Finished orders leave memory: when an order counts as finished, what leaving takes with it,
/// what it leaves behind (who may read its artifacts), and how commands on it are then refused.
@Suite("finished orders leave memory")
struct ArchiveTests {
    typealias W = LeaseWorld
    typealias F = Fixtures

    /// The lease world's order, run to settlement.
    static func settled() throws -> LeaseWorld {
        var world = try LeaseWorld()
        try world.commitAndReveal()
        _ = try world.passAudit(at: W.revealAt.adding(seconds: 1))
        _ = try world.market.checkLease(world.leaseID, now: W.windowEnds)
        #expect(try world.lease().state == .settled)
        return world
    }

    @Test("an order is finished only once it is closed, every lease is final and no dispute is open")
    func whenFinished() throws {
        var world = try LeaseWorld()
        #expect(!world.market.isFinished(world.order), "a running lease")
        try world.commitAndReveal()
        _ = try world.dispute(at: W.revealAt.adding(seconds: 1))
        #expect(!world.market.isFinished(world.order), "a lease under verification with a dispute open")
        #expect(world.market.finishedOrders().isEmpty)

        let settled = try Self.settled()
        #expect(settled.market.isFinished(settled.order))
        #expect(settled.market.finishedOrders() == [settled.order])
        var change = MarketChange()
        change.leases = [settled.leaseID]
        #expect(settled.market.finishedOrders(touchedBy: change) == [settled.order], "found through its lease")
        #expect(settled.market.finishedOrders(touchedBy: MarketChange()).isEmpty)

        var market = Marketplace(policy: F.policy)
        _ = try market.mint(F.credits("100"), to: F.submitter, now: W.t0)
        try F.uploadDataset(&market, now: W.t0)
        let (open, _) = try market.submitOrder(
            manifest: F.manifest(), manifestHash: W.manifestHash, by: F.submitter, storedInputs: [F.datasetHash], now: W.t0
        )
        #expect(!market.isFinished(open), "open")
        _ = try market.cancelOrder(open, by: F.submitter, now: W.t0)
        #expect(market.isFinished(open), "cancelled, with no lease")
    }

    @Test("leaving takes the order, its leases and disputes out of every index, and keeps who may read its artifacts")
    func evict() throws {
        var world = try Self.settled()
        let (order, lease, provider) = (world.order, world.leaseID, world.provider)
        #expect(world.market.mayRead(artifact: F.datasetHash, reader: F.submitter))
        #expect(Set(world.market.artifactsByOrder[order] ?? []) == [F.datasetHash, W.manifestHash])
        let stranger = F.account(0x77)

        let change = world.market.retire([order])
        #expect(change.artifacts == [F.datasetHash, W.manifestHash])
        let record = try #require(world.market.artifacts[F.datasetHash])
        #expect(record.orders.isEmpty)
        #expect(Set(record.finishedReaders) == [F.submitter, provider])
        #expect(!record.finishedPublic)
        #expect(world.market.archive(of: order)?.leases.map(\.id) == [lease])

        world.market.evict([order])
        #expect(world.market.orders[order] == nil && world.market.leases[lease] == nil)
        #expect(world.market.leasesByOrder[order] == nil && world.market.leasesByProvider[provider] == nil)
        #expect(world.market.ordersBySubmitter[F.submitter] == nil && world.market.artifactsByOrder[order] == nil)
        #expect(world.market.disputesByLease[lease] == nil)
        RecordIndexTests.expectAgree(world.market, "after leaving")
        // Who could read the order's artifacts still can; nobody else can.
        #expect(world.market.mayRead(artifact: F.datasetHash, reader: F.submitter))
        #expect(world.market.mayRead(artifact: F.datasetHash, reader: provider))
        #expect(world.market.mayRead(artifact: F.datasetHash, reader: world.policy.auditPool))
        #expect(!world.market.mayRead(artifact: F.datasetHash, reader: stranger))
        #expect(!world.market.mayRead(artifact: F.datasetHash, reader: nil))
        // The provider may withdraw and unstake: nothing it holds is open.
        #expect(world.market.leases(ofProvider: provider).isEmpty)
    }

    @Test("the market's ledger keeps open holds only; a ledger that checks a journal keeps closed ones too")
    func closedHolds() throws {
        let world = try Self.settled()
        #expect(!world.market.ledger.keepsClosedHolds)
        #expect(world.market.ledger.hold(world.order.hold) == nil, "the escrow, paid out")
        #expect(world.market.ledger.hold(world.leaseID.hold) == nil, "the collateral, unlocked")
        let running = try LeaseWorld()
        #expect(running.market.ledger.hold(running.leaseID.hold)?.isOpen == true)

        var strict = Ledger()
        let account = F.account(9)
        _ = try strict.apply(.mint(to: account, amount: F.credits("5")), at: W.t0)
        _ = try strict.apply(.lockEscrow(hold: .order(1), owner: account, amount: F.credits("2")), at: W.t0)
        _ = try strict.apply(.refundEscrow(hold: .order(1)), at: W.t0)
        #expect(strict.hold(.order(1))?.isOpen == false)
        var market = strict
        market.forgetClosedHolds()
        #expect(market.hold(.order(1)) == nil)
        #expect(market == strict, "closed holds hold nothing: the same ledger")
    }

    @Test("leaving without retiring first (a market reloaded while the archive was written) still keeps the readers")
    func evictFolds() throws {
        var world = try Self.settled()
        world.market.evict([world.order])
        let record = try #require(world.market.artifacts[F.datasetHash])
        #expect(record.orders.isEmpty && Set(record.finishedReaders) == [F.submitter, world.provider])
        #expect(world.market.mayRead(artifact: F.datasetHash, reader: world.provider))
    }

    @Test("an order that is not finished does not leave")
    func keepsOpenWork() throws {
        var world = try LeaseWorld()
        let before = world.market.artifacts[F.datasetHash]
        #expect(world.market.retire([world.order]).artifacts.isEmpty, "a running lease: its readers may still change")
        #expect(world.market.artifacts[F.datasetHash] == before)
        world.market.evict([world.order])
        #expect(world.market.orders[world.order] != nil && world.market.leases[world.leaseID] != nil)
    }

    @Test("a public order leaves its artifacts public")
    func publicOrder() throws {
        var market = Marketplace(policy: F.policy)
        _ = try market.mint(F.credits("100"), to: F.submitter, now: W.t0)
        try F.uploadDataset(&market, now: W.t0)
        var manifest = F.manifest()
        manifest.artifacts = .anyone
        let (order, _) = try market.submitOrder(
            manifest: manifest, manifestHash: W.manifestHash, by: F.submitter, storedInputs: [F.datasetHash], now: W.t0
        )
        _ = try market.cancelOrder(order, by: F.submitter, now: W.t0)
        _ = market.retire([order])
        market.evict([order])
        #expect(market.orders.isEmpty)
        #expect(market.mayRead(artifact: F.datasetHash, reader: nil))
    }

    @Test("a command on a finished order, lease or dispute is refused as finished; an id never handed out is not found")
    func commandsAfterLeaving() throws {
        var world = try Self.settled()
        let order = world.order
        _ = world.market.retire([order])
        world.market.evict([order])
        #expect(throws: MarketplaceError.market(.wrongState("order \(order) has finished; it can no longer change"))) {
            try world.market.cancelOrder(order, by: F.submitter, now: W.windowEnds)
        }
        #expect(throws: MarketplaceError.market(.wrongState("lease \(world.leaseID) has finished; nothing more is accepted for it"))) {
            try world.market.heartbeat(lease: world.leaseID, by: world.provider, step: 1, loss: nil, now: W.windowEnds)
        }
        #expect(throws: MarketplaceError.notFound("order 99")) { try world.market.cancelOrder(99, by: F.submitter, now: W.windowEnds) }
        #expect(throws: MarketplaceError.notFound("lease 99")) {
            try world.market.heartbeat(lease: 99, by: world.provider, step: 1, loss: nil, now: W.windowEnds)
        }
    }

    @Test("rebuilt from the store without its finished orders, the market keeps only live ties")
    func rebuild() throws {
        var world = try Self.settled()
        // An artifact record as stored before the order left still names it.
        let stale = try #require(world.market.artifacts[F.datasetHash])
        _ = world.market.retire([world.order])
        world.market.evict([world.order])
        let market = world.market
        let rebuilt = Marketplace(
            policy: market.policy, ledger: market.ledger, accounts: Array(market.accounts.values), orders: [], leases: [],
            artifacts: [stale], counters: market.counters
        )
        #expect(rebuilt.artifacts[F.datasetHash]?.orders.isEmpty == true)
        #expect(rebuilt.artifactsByOrder.isEmpty)
    }

    @Test("a following copy lets an order go when the leader's update shows it finished")
    func follower() throws {
        var leader = Marketplace(policy: F.policy)
        _ = try leader.mint(F.credits("100"), to: F.submitter, now: W.t0)
        try F.uploadDataset(&leader, now: W.t0)
        let (order, _) = try leader.submitOrder(
            manifest: F.manifest(), manifestHash: W.manifestHash, by: F.submitter, storedInputs: [F.datasetHash], now: W.t0
        )
        var copy = leader
        var change = try leader.cancelOrder(order, by: F.submitter, now: W.t0)
        change.merge(leader.retire([order]))
        var update = Marketplace.StoredUpdate()
        update.journal = change.journal
        update.orders = change.orders.compactMap { leader.orders[$0] }
        update.artifacts = change.artifacts.compactMap { leader.artifacts[$0] }
        leader.evict([order])

        try copy.follow(update)
        #expect(copy.orders[order] == nil && copy.openOrderIDs.isEmpty && copy.ordersBySubmitter[F.submitter] == nil)
        #expect(copy.artifactsByOrder[order] == nil)
        #expect(copy.artifacts[F.datasetHash] == leader.artifacts[F.datasetHash])
        #expect(copy.ledger == leader.ledger)
        #expect(copy.artifacts[F.datasetHash]?.finishedReaders.contains(F.submitter) == true)
        #expect(copy.mayRead(artifact: F.datasetHash, reader: F.submitter))
    }

    @Test("an artifact record stored before finished readers existed decodes, and encodes as it did")
    func recordCoding() throws {
        let old = #"{"hash":"ab","orders":[3],"uploaders":[]}"#
        let record = try JSONDecoder().decode(ArtifactRecord.self, from: Data(old.utf8))
        #expect(record.orders == [3] && record.finishedReaders.isEmpty && !record.finishedPublic)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(record), as: UTF8.self) == old)
        var folded = record
        folded.fold(order: 3, readers: [F.account(1)], isPublic: true)
        #expect(try JSONDecoder().decode(ArtifactRecord.self, from: encoder.encode(folded)) == folded)
    }
}
