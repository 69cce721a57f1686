import Foundation
@testable import TenderCore
import TenderAgentService

/// Builders for agent tests: fixed accounts, a GPU order, a provider profile, an account view.
enum AgentFixtures {
    static func account(_ byte: UInt8) -> AccountID {
        try! AccountID(String(repeating: String(format: "%02x", byte), count: 32))
    }

    static func credits(_ text: String) -> Amount { try! Amount.parse(text) }

    static let me = account(0x01)
    static let submitter = account(0xAA)
    static let now = Timestamp(millis: 1_700_000_000_000)

    static func manifest(maxPrice: String = "10", gpus: Int = 1, model: String = "rtx4090", collateral: String = "5",
                         minReputation: Double = 0, region: String? = nil) -> JobManifest {
        JobManifest(
            name: "job", kind: .training,
            workload: .mlpTrain(MLPTrainSpec(dataset: .sha256(String(repeating: "ab", count: 32)), trainRows: 10, layers: [4, 2],
                                             steps: 10, batch: 2, learningRate: 0.1, seed: 1, checkpointInterval: 5)),
            resources: ResourceRequest(cpuMillis: 2_000, memoryBytes: 4 << 30, storage: [StorageVolume(bytes: 10 << 30)],
                                       gpu: GPURequest(units: gpus, acceptable: [GPUSpec(vendor: "nvidia", model: model)])),
            placement: Placement(attributes: region.map { ["region": $0] } ?? [:], minReputation: minReputation),
            pricing: PricingTerms(maxPrice: credits(maxPrice), auctionSeconds: 30),
            verification: VerificationTerms(samples: 4, challengeWindowSeconds: 600, collateral: credits(collateral)),
            deadlineSeconds: 3_600
        )
    }

    static func order(_ id: OrderID, _ manifest: JobManifest = manifest(), submitter: AccountID = submitter, bids: [Bid] = []) -> Order {
        Order(id: id, submitter: submitter, manifest: manifest, manifestHash: String(repeating: "cd", count: 32),
              createdAt: now, closesAt: now.adding(seconds: 30), escrow: manifest.pricing.maxPrice, state: .open, bids: bids)
    }

    static func profile(pricing: PricingStrategy = .linear(LinearRates(perGPUHour: credits("0.5"))), concurrency: Int = 1,
                        stakeTarget: String = "100") -> ProviderProfile {
        ProviderProfile(
            name: "rig",
            inventory: Inventory(gpus: [.init(spec: GPUSpec(vendor: "nvidia", model: "rtx4090", ramBytes: 24 << 30, interface: "pcie"), count: 1)],
                                 cpuMillis: 16_000, memoryBytes: 64 << 30, storageBytes: 1 << 40),
            attributes: ["region": "eu"],
            pricing: pricing, concurrency: concurrency, stakeTarget: credits(stakeTarget)
        )
    }

    /// An account view as the controller would serve it (decoded from JSON, as the client does).
    static func view(available: String = "0", staked: String = "100", locked: String = "0", reputation: Int = 5_000,
                     profile: ProviderProfile? = profile(), jailedUntil: Timestamp? = nil) -> API.AccountView {
        struct Wire: Encodable {
            var account: AccountID
            var balances: Balances
            var reputationBasisPoints: Int
            var lastNonce: UInt64
            var jailedUntil: Timestamp?
            var profile: ProviderProfile?
            var unbonding: [String]
        }
        let balances = Balances(available: credits(available), staked: credits(staked), unbonding: .zero,
                                escrowed: .zero, bonded: .zero, lockedCollateral: credits(locked))
        let wire = Wire(account: me, balances: balances, reputationBasisPoints: reputation, lastNonce: 0,
                        jailedUntil: jailedUntil, profile: profile, unbonding: [])
        return try! JSONDecoder().decode(API.AccountView.self, from: JSONEncoder().encode(wire))
    }

    static func lease(_ id: LeaseID, order: OrderID = 1, provider: AccountID = me, state: Lease.State = .running) -> API.LeaseView {
        API.LeaseView(Lease(
            id: id, order: order, provider: provider, submitter: submitter, manifestHash: String(repeating: "cd", count: 32),
            payment: credits("1"), collateral: credits("5"), startedAt: now, deadline: now.adding(seconds: 3_600),
            heartbeatDeadline: now.adding(seconds: 120), challengeWindowSeconds: 600, samples: 4, beaconCommitment: "",
            state: state, lastStep: 0, lastLoss: nil, commitment: nil, signedCommitment: nil, committedAt: nil, windowEndsAt: nil,
            audit: nil, openDisputes: [], timeline: [], endedAt: nil
        ))
    }

    static func snapshot(view: API.AccountView? = view(), orders: [Order] = [], leases: [API.LeaseView] = []) -> AgentSnapshot {
        AgentSnapshot(account: view, openOrders: orders, ownLeases: leases, now: now)
    }
}
