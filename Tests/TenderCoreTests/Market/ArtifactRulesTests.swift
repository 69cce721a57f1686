import Foundation
import Testing
@testable import TenderCore

/// Who may store an artifact, how much, and who may read it (hardening issue: every artifact was
/// public, and anyone could fill the store).
@Suite("Artifacts: funded uploads within a quota, and readers")
struct ArtifactRulesTests {
    typealias F = Fixtures
    typealias W = LeaseWorld

    let t0 = Timestamp(millis: 10_000)

    static func hash(_ text: String) -> String { Hashing.sha256Hex(text) }

    @Test("an unfunded account stores nothing; a funded one up to its quota, each artifact charged once")
    func quota() throws {
        var policy = F.policy
        policy.artifactQuotaBytes = 1_000
        var market = Marketplace(policy: policy)
        let alice = F.account(1)
        let (a, b, c) = (Self.hash("a"), Self.hash("b"), Self.hash("c"))
        #expect(throws: MarketplaceError.self) { try market.uploadAllowance(hash: a, by: alice, lease: nil) }
        #expect(throws: MarketplaceError.self) { try market.recordUpload(hash: a, size: 10, by: alice, lease: nil, now: t0) }
        _ = try market.mint(F.credits("1"), to: alice, now: t0)
        #expect(try market.uploadAllowance(hash: a, by: alice, lease: nil) == 1_000)
        _ = try market.recordUpload(hash: a, size: 600, by: alice, lease: nil, now: t0)
        #expect(market.account(alice).artifactBytes == 600)
        // The same bytes again cost nothing: a retried upload is never charged twice.
        #expect(try market.uploadAllowance(hash: a, by: alice, lease: nil) == .max)
        let again = try market.recordUpload(hash: a, size: 600, by: alice, lease: nil, now: t0)
        #expect(again.isEmpty)
        #expect(market.account(alice).artifactBytes == 600)
        #expect(try market.uploadAllowance(hash: b, by: alice, lease: nil) == 400)
        #expect(throws: MarketplaceError.self) { try market.recordUpload(hash: b, size: 401, by: alice, lease: nil, now: t0) }
        let recorded = try market.recordUpload(hash: b, size: 400, by: alice, lease: nil, now: t0)
        #expect(recorded.accounts == [alice] && recorded.artifacts == [b])
        #expect(throws: MarketplaceError.self) { try market.uploadAllowance(hash: c, by: alice, lease: nil) }
    }

    @Test("stake alone funds an account's uploads")
    func stakeFunds() throws {
        var market = Marketplace(policy: F.policy)
        _ = try market.mint(F.credits("1"), to: F.account(1), now: t0)
        _ = try market.stake(F.credits("1"), account: F.account(1), now: t0)
        #expect(market.ledger.balances(of: F.account(1)).available.isZero)
        #expect(try market.uploadAllowance(hash: Self.hash("a"), by: F.account(1), lease: nil) == market.policy.artifactQuotaBytes)
    }

    @Test("lease uploads belong to the lease's order: only its provider, only while the lease is not final, with no quota")
    func leaseUploads() throws {
        var world = try W()
        let state = Self.hash("state 1")
        #expect(try world.market.uploadAllowance(hash: state, by: world.provider, lease: world.leaseID) == .max)
        #expect(throws: MarketplaceError.self) { try world.market.uploadAllowance(hash: state, by: W.challenger, lease: world.leaseID) }
        #expect(throws: MarketplaceError.notFound("lease 99")) { try world.market.uploadAllowance(hash: state, by: world.provider, lease: 99) }
        _ = try world.market.recordUpload(hash: state, size: 1 << 40, by: world.provider, lease: world.leaseID, now: W.closeAt)
        #expect(world.market.artifacts[state]?.orders == [world.order])
        #expect(world.market.account(world.provider).artifactBytes == 0)
        let deadline = try #require(world.market.leases[world.leaseID]).deadline
        _ = try world.market.checkLease(world.leaseID, now: deadline)
        #expect(world.market.leases[world.leaseID]?.isFinal == true)
        #expect(throws: MarketplaceError.self) { try world.market.uploadAllowance(hash: state, by: world.provider, lease: world.leaseID) }
    }

    @Test("an order's artifacts: its submitter, its provider, the auditor, and staked challengers once a lease is under verification; nobody else")
    func orderReaders() throws {
        var world = try W()
        let state = Self.hash("state 1")
        _ = try world.market.recordUpload(hash: state, size: 10, by: world.provider, lease: world.leaseID, now: W.closeAt)
        // Staked, but below the challenger minimum of 1 credit.
        let dabbler = F.account(9)
        _ = try world.market.mint(F.credits("1"), to: dabbler, now: W.closeAt)
        _ = try world.market.stake(F.credits("0.5"), account: dabbler, now: W.closeAt)
        // While the lease runs there is nothing to re-execute: a challenger has no business yet.
        for hash in [state, F.datasetHash, W.manifestHash] {
            #expect(!world.market.mayRead(artifact: hash, reader: W.challenger), "\(hash)")
        }
        world.market.leases[world.leaseID]?.state = .committed
        let market = world.market
        for hash in [state, F.datasetHash, W.manifestHash] {
            #expect(market.mayRead(artifact: hash, reader: F.submitter), "\(hash)")
            #expect(market.mayRead(artifact: hash, reader: world.provider), "\(hash)")
            #expect(market.mayRead(artifact: hash, reader: W.challenger), "\(hash)")
            #expect(market.mayRead(artifact: hash, reader: market.policy.auditPool), "\(hash)")
            #expect(!market.mayRead(artifact: hash, reader: dabbler), "\(hash)")
            #expect(!market.mayRead(artifact: hash, reader: F.account(8)), "\(hash)")
            #expect(!market.mayRead(artifact: hash, reader: nil), "\(hash)")
        }
        #expect(!market.mayRead(artifact: Self.hash("never stored"), reader: F.submitter))
    }

    @Test("an artifact of no order is its uploader's alone, staked challengers included")
    func ownArtifacts() throws {
        var world = try W()
        let notes = Self.hash("notes")
        _ = try world.market.recordUpload(hash: notes, size: 10, by: W.challenger, lease: nil, now: W.closeAt)
        #expect(world.market.mayRead(artifact: notes, reader: W.challenger))
        #expect(!world.market.mayRead(artifact: notes, reader: W.secondChallenger))
        #expect(!world.market.mayRead(artifact: notes, reader: world.provider))
        #expect(!world.market.mayRead(artifact: notes, reader: F.submitter))
        #expect(!world.market.mayRead(artifact: notes, reader: world.market.policy.auditPool))
    }

    @Test("an order whose manifest says artifacts: public is read by anyone, unsigned")
    func publicOrder() throws {
        var market = Marketplace(policy: F.policy)
        _ = try market.mint(F.credits("100"), to: F.submitter, now: t0)
        try F.uploadDataset(&market, now: t0)
        var manifest = F.manifest()
        manifest.artifacts = .anyone
        #expect(!market.mayRead(artifact: F.datasetHash, reader: nil))
        _ = try market.submitOrder(manifest: manifest, manifestHash: Self.hash("m"), by: F.submitter, storedInputs: [F.datasetHash], now: t0)
        #expect(market.mayRead(artifact: F.datasetHash, reader: nil))
        #expect(market.mayRead(artifact: Self.hash("m"), reader: F.account(9)))
    }

    @Test("a public order may name only inputs its submitter stored, so a reader cannot publish another's private data")
    func publicOrderNeedsOwnInputs() throws {
        var market = Marketplace(policy: F.policy)
        // The auditor may read every order's artifacts; it still may not publish them.
        let reader = market.policy.auditPool
        _ = try market.mint(F.credits("100"), to: reader, now: t0)
        _ = try market.mint(F.credits("100"), to: F.account(5), now: t0)
        try F.uploadDataset(&market, by: F.account(5), now: t0)
        _ = try market.submitOrder(manifest: F.manifest(), manifestHash: Self.hash("private"), by: F.account(5), storedInputs: [F.datasetHash], now: t0)
        #expect(market.mayRead(artifact: F.datasetHash, reader: reader))
        var manifest = F.manifest()
        manifest.artifacts = .anyone
        let refused = #expect(throws: MarketplaceError.self) {
            try market.submitOrder(manifest: manifest, manifestHash: Self.hash("public"), by: reader, storedInputs: [F.datasetHash], now: t0)
        }
        #expect(refused.map { "\($0)" }?.contains("not yours to make public") == true)
        #expect(!market.mayRead(artifact: F.datasetHash, reader: nil))
        // Its uploader may publish it.
        _ = try market.submitOrder(manifest: manifest, manifestHash: Self.hash("public"), by: F.account(5), storedInputs: [F.datasetHash], now: t0)
        #expect(market.mayRead(artifact: F.datasetHash, reader: nil))
    }

    @Test("an order naming an input not in the store, or not the submitter's to read, is refused naming the hash")
    func missingInputs() throws {
        var market = Marketplace(policy: F.policy)
        _ = try market.mint(F.credits("100"), to: F.submitter, now: t0)
        _ = try market.mint(F.credits("100"), to: F.account(5), now: t0)
        let missing = #expect(throws: MarketplaceError.self) {
            try market.submitOrder(manifest: F.manifest(), manifestHash: "mh", by: F.submitter, storedInputs: [], now: t0)
        }
        #expect(missing?.description.contains(F.datasetHash) == true)
        // Stored, but someone else's private upload: naming it must not make it readable.
        try F.uploadDataset(&market, by: F.account(5), now: t0)
        #expect(throws: MarketplaceError.self) {
            try market.submitOrder(manifest: F.manifest(), manifestHash: "mh", by: F.submitter, storedInputs: [F.datasetHash], now: t0)
        }
        #expect(market.orders.isEmpty)
        #expect(market.artifacts[F.datasetHash]?.orders == [])
        // A local path never reaches a provider.
        var local = F.manifest()
        local.workload = .mlpTrain(MLPTrainSpec(
            dataset: .local(path: "d.csv"), trainRows: 10, layers: [4, 2], steps: 10, batch: 2, learningRate: 0.1, seed: 1, checkpointInterval: 5
        ))
        #expect(throws: MarketplaceError.self) { try market.submitOrder(manifest: local, manifestHash: "mh", by: F.account(5), storedInputs: [], now: t0) }
        // Once the submitter has stored it too, the order goes in and the dataset belongs to it.
        try F.uploadDataset(&market, now: t0)
        let (order, change) = try market.submitOrder(manifest: F.manifest(), manifestHash: "mh", by: F.submitter, storedInputs: [F.datasetHash], now: t0)
        #expect(market.artifacts[F.datasetHash]?.orders == [order])
        #expect(change.artifacts == [F.datasetHash, "mh"])
    }

    @Test("an order below the minimum escrow is refused, naming the minimum")
    func minimumEscrow() throws {
        var market = Marketplace(policy: F.policy)
        _ = try market.mint(F.credits("100"), to: F.submitter, now: t0)
        try F.uploadDataset(&market, now: t0)
        let error = #expect(throws: MarketplaceError.self) {
            try market.submitOrder(manifest: F.manifest(maxPrice: "0.009999"), manifestHash: "mh", by: F.submitter, storedInputs: [F.datasetHash], now: t0)
        }
        #expect(error?.description.contains("at least 0.010000") == true)
        #expect(market.orders.isEmpty)
        #expect(market.ledger.balances(of: F.submitter).escrowed.isZero)
        _ = try market.submitOrder(manifest: F.manifest(maxPrice: "0.01"), manifestHash: "mh", by: F.submitter, storedInputs: [F.datasetHash], now: t0)
        #expect(market.orders.count == 1)
    }
}
