import Foundation
import Testing
@testable import TenderCore

/// A market with one awarded lease whose provider holds a real key, plus the evidence the
/// provider will commit: 11 state hashes over 20 steps, one leaf every 2 steps.
///
/// Money after the award (first-price, bid 3, collateral 5, fee 1% with half burned):
/// - submitter: 97 available, 3 escrowed;
/// - provider: 30 available, 15 staked (minus `unbonding`), 5 locked collateral;
/// - challengers `F.account(2)` and `F.account(3)`: 30 available, 20 staked each.
struct LeaseWorld {
    typealias F = Fixtures

    static let t0 = Timestamp(millis: 10_000)
    static let closeAt = t0.adding(seconds: 30)
    static let commitAt = closeAt.adding(seconds: 20)
    static let revealAt = commitAt.adding(seconds: 1)
    /// The commitment's challenge window (the manifest's 600 s) closes here.
    static let windowEnds = commitAt.adding(seconds: 600)
    /// States must be in the store by here (the policy's 120 s after the commitment).
    static let availableUntil = commitAt.adding(seconds: 120)

    static let manifestHash = Hashing.sha256Hex("manifest")
    static let secret = Hashing.sha256Hex("beacon secret")
    static let challenger = F.account(2)
    static let secondChallenger = F.account(3)
    static let totalSteps = 20
    static let interval = 2
    static let resultHash = Hashing.sha256(Data("result".utf8))

    var market: Marketplace
    let key: KeyPair
    let order: OrderID
    let leaseID: LeaseID
    /// The state hashes the provider commits: leaf `i` is the state after `2 * i` steps.
    let hashes: [Data]
    /// What `closeAuction` reported.
    let awarded: MarketChange

    var provider: AccountID { key.account }
    var policy: MarketPolicy { market.policy }

    /// - Parameter unbonding: stake the provider starts unbonding before the order, maturing a
    ///   minute later (for withdrawal tests).
    init(unbonding: String? = nil) throws {
        let key = KeyPair()
        let t0 = Self.t0
        var market = Marketplace(policy: F.policy)
        _ = try market.mint(F.credits("100"), to: F.submitter, now: t0)
        try F.uploadDataset(&market, now: t0)
        _ = try market.mint(F.credits("50"), to: key.account, now: t0)
        _ = market.register(profile: F.profile(), for: key.account, now: t0)
        _ = try market.stake(F.credits("20"), account: key.account, now: t0)
        if let unbonding {
            market.unbondingSeconds = 60
            _ = try market.unstake(F.credits(unbonding), account: key.account, now: t0)
            market.unbondingSeconds = 3_600
        }
        for challenger in [Self.challenger, Self.secondChallenger] {
            _ = try market.mint(F.credits("50"), to: challenger, now: t0)
            _ = try market.stake(F.credits("20"), account: challenger, now: t0)
        }
        // The job's schedule is the commitment's: 20 steps, a leaf every 2.
        var manifest = F.manifest(rule: .firstPrice)
        manifest.workload = .mlpTrain(MLPTrainSpec(
            dataset: .sha256(F.datasetHash), trainRows: 10, layers: [4, 2], steps: Self.totalSteps, batch: 2, learningRate: 0.1,
            seed: 1, checkpointInterval: Self.interval
        ))
        let (order, _) = try market.submitOrder(
            manifest: manifest, manifestHash: Self.manifestHash, by: F.submitter, storedInputs: [F.datasetHash], now: t0
        )
        _ = try market.placeBid(on: order, by: key.account, price: F.credits("3"), now: t0)
        let awarded = try market.closeAuction(order, beaconSecrets: [Self.secret], now: Self.closeAt)
        let lease = try #require(market.leases(ofOrder: order).first)

        self.key = key
        self.order = order
        self.leaseID = lease.id
        self.hashes = (0...10).map { Hashing.sha256(Data("state after \($0 * Self.interval) steps".utf8)) }
        self.awarded = awarded
        self.market = market
    }

    /// The lease as it stands now.
    func lease() throws -> Lease { try #require(market.leases[leaseID]) }

    func balances(_ account: AccountID) -> Balances { market.ledger.balances(of: account) }

    /// The provider's commitment over `hashes` (or other state hashes), signed by `signer`
    /// (the provider by default), and its trace.
    func evidence(hashes other: [Data]? = nil, signedBy signer: KeyPair? = nil) throws -> (Signed<Commitment>, Data) {
        let leaves = other ?? hashes
        let commitment = try Commitment(
            lease: leaseID, stateHashes: leaves, totalSteps: Self.totalSteps, checkpointInterval: Self.interval, resultHash: Self.resultHash
        )
        return (try Signed(commitment, by: signer ?? key), Commitment.trace(of: leaves))
    }

    var trace: Data { Commitment.trace(of: hashes) }

    /// The provider's leaf hash `leaf`, in hex.
    func leaf(_ leaf: Int) -> String { Hex.encode(hashes[leaf]) }

    @discardableResult
    mutating func commit(at now: Timestamp = LeaseWorld.commitAt) throws -> MarketChange {
        let (signed, trace) = try evidence()
        return try market.commit(signed, trace: trace, lease: leaseID, by: provider, now: now)
    }

    @discardableResult
    mutating func reveal(at now: Timestamp = LeaseWorld.revealAt) throws -> MarketChange {
        try market.revealBeacon(lease: leaseID, secret: Self.secret, now: now)
    }

    /// Commits and reveals the beacon.
    mutating func commitAndReveal() throws {
        try commit()
        try reveal()
    }

    /// Records a passed check for every pending sampled segment except `skipped`, then for the
    /// result unless it is checked already.
    @discardableResult
    mutating func passAudit(at now: Timestamp, skipping skipped: Int? = nil, result: Bool = true) throws -> MarketChange {
        let audit = try #require(try lease().audit)
        var change = MarketChange()
        for segment in audit.pendingSegments where segment != skipped {
            let check = AuditCheck(
                segment: segment, verdict: .passed, expected: leaf(segment + 1), computed: leaf(segment + 1),
                detail: "re-executed \(Self.interval) steps", at: now
            )
            change.merge(try market.recordAudit(check, lease: leaseID, now: now))
        }
        if result && !audit.resultChecked {
            let check = AuditCheck(
                segment: nil, verdict: .passed, expected: Hex.encode(Self.resultHash), computed: Hex.encode(Self.resultHash),
                detail: "result matches the final state", at: now
            )
            change.merge(try market.recordAudit(check, lease: leaseID, now: now))
        }
        return change
    }

    /// Opens a dispute on `segment` with a claim that differs from the provider's leaf.
    mutating func dispute(
        segment: Int = 3, by challenger: AccountID = LeaseWorld.challenger, at now: Timestamp
    ) throws -> Dispute {
        let (dispute, _) = try market.openDispute(
            lease: leaseID, segment: segment, claim: Hashing.sha256Hex("challenger's leaf \(segment + 1)"), trace: trace,
            by: challenger, now: now
        )
        return dispute
    }

    func dispute(_ id: DisputeID) throws -> Dispute { try #require(market.disputes[id]) }
}

extension MarketplaceError {
    /// True for the market's own wrong-state refusal (HTTP 409).
    var isWrongState: Bool {
        if case .market(.wrongState) = self { return true }
        return false
    }

    var isNotYours: Bool {
        if case .market(.notYours) = self { return true }
        return false
    }

    var isInvalid: Bool {
        if case .invalid = self { return true }
        return false
    }

    var isLedgerRefusal: Bool {
        if case .ledger = self { return true }
        return false
    }
}
