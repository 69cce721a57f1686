import Foundation
import Testing
import TenderClient
@testable import TenderCore

@Suite("market narrator")
struct MarketNarratorTests {
    static let submitter = KeyPair().account
    static let honest = KeyPair().account
    static let rival = KeyPair().account

    static func order(state: Order.State, bids: [Bid]) throws -> Order {
        let manifest = try JobManifest.parse("""
            version: 1
            name: digits-train
            kind: training
            workload:
              runtime: mlp-train
              dataset: sha256:\(Hashing.sha256Hex("d"))
              trainRows: 100
              layers: [64, 10]
              steps: 100
              batch: 10
              learningRate: 0.1
              seed: 1
              checkpointInterval: 10
            resources:
              cpu:
                units: 1
              memory:
                size: 1Gi
            pricing:
              maxPrice: 2.5
              auctionDuration: 4s
            verification:
              samples: 4
              challengeWindow: 20s
              collateral: 1
            deadline: 10m
            """)
        return Order(
            id: 1, submitter: submitter, manifest: manifest, manifestHash: Hashing.sha256Hex("m"), createdAt: Timestamp(millis: 0),
            closesAt: Timestamp(millis: 4_000), escrow: try Amount.parse("2.5"), state: state, bids: bids
        )
    }

    static func lease(state: Lease.State, step: Int64, timeline: [LeaseEvent]) throws -> API.LeaseView {
        let hash = Hashing.sha256Hex("x")
        let object: [String: Any] = [
            "id": 1, "order": 1, "provider": honest.hex, "submitter": submitter.hex, "manifestHash": hash,
            "payment": 700_000, "collateral": 1_000_000, "state": state.rawValue, "startedAt": 4_000, "deadline": 600_000,
            "heartbeatDeadline": 100_000, "challengeWindowSeconds": 20, "samples": 4, "beaconCommitment": hash,
            "lastStep": step, "lastLoss": 0.25, "openDisputes": [Int](),
            "timeline": try JSONSerialization.jsonObject(with: JSONEncoder().encode(timeline)),
        ]
        return try JSONDecoder().decode(API.LeaseView.self, from: JSONSerialization.data(withJSONObject: object))
    }

    static func bid(_ id: UInt64, _ provider: AccountID, _ price: String) throws -> Bid {
        Bid(id: id, order: 1, provider: provider, price: try Amount.parse(price), placedAt: Timestamp(millis: 1_000))
    }

    @Test("tells each bid once, who won and why the price is what it is, progress at each quarter, and each timeline entry once")
    func story() throws {
        var narrator = MarketNarrator(names: [Self.honest: "honest-1", Self.rival: "honest-2", Self.submitter: "submitter"])
        let oneBid = try Self.order(state: .open, bids: [Self.bid(1, Self.honest, "0.5")])
        let twoBids = try Self.order(state: .open, bids: [Self.bid(1, Self.honest, "0.5"), Self.bid(2, Self.rival, "0.7")])
        let opened = narrator.narrate(API.MarketEvent(id: 1, kind: .order, ledgerSequence: 1, order: oneBid))
        #expect(opened.count == 2)
        #expect(opened[0].contains("order 1 'digits-train' submitted by submitter"))
        #expect(opened[1].contains("honest-1 offers 0.500000"))
        let second = narrator.narrate(API.MarketEvent(id: 2, kind: .order, ledgerSequence: 2, order: twoBids))
        #expect(second == ["  bid on order 1: honest-2 offers 0.700000"], "only the new bid")

        let awarded = LeaseEvent(at: Timestamp(millis: 4_000), kind: .awarded, detail: "won", amount: try Amount.parse("0.7"))
        let won = narrator.narrate(API.MarketEvent(id: 3, kind: .lease, ledgerSequence: 3, lease: try Self.lease(state: .running, step: 0, timeline: [awarded])))
        #expect(won == ["order 1 'digits-train' awarded to honest-1 as lease 1; second-price: won with a bid of 0.500000 and is paid the lowest losing bid, 0.700000"])

        var progress: [String] = []
        for step in stride(from: 10, through: 100, by: 10) {
            progress += narrator.narrate(API.MarketEvent(
                id: 3 + UInt64(step), kind: .lease, ledgerSequence: 3, lease: try Self.lease(state: .running, step: Int64(step), timeline: [awarded])
            ))
        }
        #expect(progress.count == 4, "one line per quarter: \(progress)")
        #expect(progress.map { $0.contains("step 30/100") || $0.contains("step 50/100") || $0.contains("step 80/100") || $0.contains("step 100/100") } == [true, true, true, true])
        #expect(progress.last?.contains("[####################] 100% step 100/100, loss 0.2500") == true)

        let slashed = LeaseEvent(at: Timestamp(millis: 9_000), kind: .slashed, detail: "the audit found segment 2 unavailable")
        let committed = LeaseEvent(at: Timestamp(millis: 8_000), kind: .committed, detail: "committed")
        let end = narrator.narrate(API.MarketEvent(
            id: 200, kind: .lease, ledgerSequence: 9, lease: try Self.lease(state: .slashed, step: 100, timeline: [awarded, committed, slashed])
        ))
        #expect(end.count == 2)
        #expect(end[0].hasPrefix("lease 1 (honest-1) committed"))
        #expect(end[1] == "lease 1 (honest-1) SLASHED: the audit found segment 2 unavailable")
        // The same record again, as after a reset, tells nothing new.
        #expect(narrator.narrate(API.MarketEvent(
            id: 201, kind: .lease, ledgerSequence: 9, lease: try Self.lease(state: .slashed, step: 100, timeline: [awarded, committed, slashed])
        )).isEmpty)
        #expect(narrator.narrate(API.MarketEvent(id: 202, kind: .reset, ledgerSequence: 9)).isEmpty)
    }

    @Test("an expired order is told as such; unknown accounts show their short id")
    func expired() throws {
        var narrator = MarketNarrator()
        _ = narrator.narrate(API.MarketEvent(id: 1, kind: .order, ledgerSequence: 1, order: try Self.order(state: .open, bids: [])))
        let lines = narrator.narrate(API.MarketEvent(id: 2, kind: .order, ledgerSequence: 2, order: try Self.order(state: .expired, bids: [])))
        #expect(lines == ["order 1 'digits-train' expired: no eligible bid; escrow refunded"])
        #expect(narrator.name(Self.rival) == Self.rival.short)
    }

    @Test("the progress bar is clamped and proportional")
    func bar() {
        #expect(TextProgressBar.text(fraction: 0, width: 10) == "[----------]   0%")
        #expect(TextProgressBar.text(fraction: 0.5, width: 10) == "[#####-----]  50%")
        #expect(TextProgressBar.text(fraction: 2, width: 10) == "[##########] 100%")
        #expect(TextProgressBar.text(fraction: .nan, width: 4) == "[----]   0%")
    }
}
