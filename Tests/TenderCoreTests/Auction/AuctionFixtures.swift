import Foundation
@testable import TenderCore

/// Small builders for auction and market tests: deterministic accounts and a GPU order.
enum Fixtures {
    /// A fixed account id made from one byte, so tests read clearly and never depend on key generation.
    static func account(_ byte: UInt8) -> AccountID {
        try! AccountID(String(repeating: String(format: "%02x", byte), count: 32))
    }

    static func credits(_ text: String) -> Amount { try! Amount.parse(text) }

    static let submitter = account(0xAA)

    /// The dataset the fixture manifest names: an order may name only inputs in the artifact store.
    static let datasetHash = Hashing.sha256Hex("dataset")

    /// Records the fixture dataset as `account`'s upload, as `PUT /v1/artifacts` does before an
    /// order names it; the account must be funded.
    static func uploadDataset(_ market: inout Marketplace, by account: AccountID = submitter, now: Timestamp) throws {
        _ = try market.recordUpload(hash: datasetHash, size: 7, by: account, lease: nil, now: now)
    }

    static func manifest(
        maxPrice: String = "10", rule: PricingTerms.Rule = .secondPrice, gpus: Int = 1, model: String = "rtx4090",
        collateral: String = "5", minReputation: Double = 0, region: String? = nil, mode: VerificationTerms.Mode = .sampled
    ) -> JobManifest {
        JobManifest(
            name: "job", kind: .training,
            workload: .mlpTrain(MLPTrainSpec(dataset: .sha256(datasetHash), trainRows: 10, layers: [4, 2], steps: 10,
                                             batch: 2, learningRate: 0.1, seed: 1, checkpointInterval: 5)),
            resources: ResourceRequest(cpuMillis: 2_000, memoryBytes: 4 << 30, storage: [StorageVolume(bytes: 10 << 30)],
                                       gpu: GPURequest(units: gpus, acceptable: [GPUSpec(vendor: "nvidia", model: model)])),
            placement: Placement(attributes: region.map { ["region": $0] } ?? [:], minReputation: minReputation),
            pricing: PricingTerms(maxPrice: credits(maxPrice), rule: rule, auctionSeconds: 30),
            verification: VerificationTerms(mode: mode, samples: 4, challengeWindowSeconds: 600, collateral: credits(collateral)),
            deadlineSeconds: 3_600
        )
    }

    static func profile(model: String = "rtx4090", count: Int = 1, region: String = "eu") -> ProviderProfile {
        ProviderProfile(
            name: "rig",
            inventory: Inventory(gpus: [.init(spec: GPUSpec(vendor: "nvidia", model: model, ramBytes: 24 << 30, interface: "pcie"), count: count)],
                                 cpuMillis: 16_000, memoryBytes: 64 << 30, storageBytes: 1 << 40),
            attributes: ["region": region],
            pricing: .linear(LinearRates(perGPUHour: credits("0.5"))),
            stakeTarget: credits("100")
        )
    }

    static func standing(_ byte: UInt8, reputation: Int = 5_000, stake: String = "100", profile: ProviderProfile? = profile()) -> BidderStanding {
        BidderStanding(account: account(byte), profile: profile, reputationBasisPoints: reputation, freeStake: credits(stake))
    }

    static func bid(_ id: UInt64, by byte: UInt8, price: String, at millis: Int64 = 1_000) -> Bid {
        Bid(id: id, order: 1, provider: account(byte), price: credits(price), placedAt: Timestamp(millis: millis))
    }

    static let policy = MarketPolicy(treasury: account(0xEE), auditPool: account(0xEF))

    /// A self-consistent commitment for `lease` over `leaves` made-up state hashes, signed by a
    /// throwaway key (the lease-level rules do not look at the signer; the marketplace does).
    static func commitment(lease: LeaseID, leaves: Int = 3) throws -> (Signed<Commitment>, Commitment) {
        let hashes = (0..<leaves).map { Hashing.sha256(Data("state-\($0)".utf8)) }
        let commitment = try Commitment(
            lease: lease, stateHashes: hashes, totalSteps: leaves - 1, checkpointInterval: 1, resultHash: Hashing.sha256(Data("r".utf8))
        )
        return (try Signed(commitment, by: KeyPair()), commitment)
    }

    /// Commits `lease` as its provider at `now`.
    @discardableResult
    static func commit(_ lease: inout Lease, now: Timestamp) throws -> [MarketAction] {
        let (signed, commitment) = try Self.commitment(lease: lease.id)
        return try lease.commit(signed, commitment, by: lease.provider, now: now)
    }

    /// Marks the audit of a committed lease as done and passed, as the auditor would.
    static func passAudit(_ lease: inout Lease, now: Timestamp) {
        lease.audit = LeaseAudit(
            secret: "", seed: "", segments: [], segmentCount: (lease.commitment?.leafCount ?? 2) - 1, availableUntil: now,
            checks: [AuditCheck(segment: nil, verdict: .passed, detail: "test", at: now)]
        )
        if lease.state == .committed { lease.state = .auditing }
    }
}
