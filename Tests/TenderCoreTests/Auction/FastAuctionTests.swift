import Foundation
import Testing
@testable import TenderCore

/// The auction's fast paths against their plain definitions, on random markets with a fixed seed:
/// `isEligible` against `declineReasons(...).isEmpty`, and the one-pass `Auction.clear` against
/// sorting every bid and walking the ranking.
@Suite("auction fast paths")
struct FastAuctionTests {
    typealias F = Fixtures

    /// The definition: rank every bid, each provider's first (best) bid counts.
    static func reference(bids: [Bid], standings: [AccountID: BidderStanding], rule: PricingTerms.Rule, reserve: Amount, replicas: Int) -> Auction.Outcome {
        let ranked = bids.filter { $0.price <= reserve && !$0.price.isZero }
            .map { Auction.Candidate(bid: $0, standing: standings[$0.provider]) }
            .sorted { $0.isBetter(than: $1) }
        var winners: [Bid] = [], losers: [Bid] = []
        var seen = Set<AccountID>()
        for entry in ranked where seen.insert(entry.bid.provider).inserted {
            if winners.count < replicas { winners.append(entry.bid) } else { losers.append(entry.bid) }
        }
        guard winners.count == replicas, replicas > 0 else { return .noWinner(eligibleBids: winners.count) }
        return .awarded(winners.map { bid in
            Auction.Award(bid: bid, payment: rule == .firstPrice ? bid.price : (losers.first?.price ?? reserve))
        })
    }

    @Test("one-pass clearing gives the same winners and payments as ranking every bid")
    func clearMatchesRanking() {
        var generator = SplitMix(seed: 0xA0C7_1011)
        var awarded = 0
        for round in 0..<400 {
            let providers = Int(generator.next() % 12) + 1
            var bids: [Bid] = []
            for index in 0..<Int(generator.next() % 30) {
                let provider = UInt8(generator.next() % UInt64(providers) + 1)
                let whole = generator.next() % 6, tenth = generator.next() % 3
                let millis = Int64(generator.next() % 4)
                bids.append(F.bid(UInt64(index), by: provider, price: "\(whole).\(tenth)", at: millis))
            }
            var standings: [AccountID: BidderStanding] = [:]
            for byte in 1...UInt8(providers) where generator.next() % 5 != 0 {
                standings[F.account(byte)] = F.standing(byte, reputation: Int(generator.next() % 3) * 1_000, stake: "\(generator.next() % 3 + 1)")
            }
            let replicas = Int(generator.next() % 3) + (round % 7 == 0 ? 0 : 1)
            let rule: PricingTerms.Rule = generator.next() % 2 == 0 ? .firstPrice : .secondPrice
            let reserve = F.credits("\(generator.next() % 6 + 1)")
            let outcome = Auction.clear(bids: bids, standings: standings, rule: rule, reserve: reserve, replicas: replicas)
            #expect(outcome == Self.reference(bids: bids, standings: standings, rule: rule, reserve: reserve, replicas: replicas),
                    "round \(round)")
            if case .awarded = outcome { awarded += 1 }
        }
        // Both outcomes were compared often, not only "no winner".
        #expect(awarded > 100 && awarded < 380, "\(awarded) of 400 rounds awarded")
    }

    @Test("isEligible is true exactly when there is no decline reason")
    func eligibleMatchesReasons() {
        var generator = SplitMix(seed: 0xE11_6B1E)
        var eligible = 0
        let models = ["rtx4090", "h100", "a100"]
        for round in 0..<2_000 {
            var manifest = F.manifest(
                maxPrice: "\(generator.next() % 5 + 1)", gpus: Int(generator.next() % 3), model: models[Int(generator.next() % 3)],
                collateral: "\(generator.next() % 4)", minReputation: Double(generator.next() % 3) / 4,
                region: generator.next() % 3 == 0 ? "eu" : nil
            )
            if generator.next() % 5 == 0 {
                manifest.workload = WorkloadSpec.exec(ExecSpec(program: .sha256(F.datasetHash), programSHA256: F.datasetHash, steps: 2, checkpointInterval: 1))
            }
            if generator.next() % 4 == 0 { manifest.resources.cpuMillis = 32_000 }
            var profile = F.profile(model: models[Int(generator.next() % 3)], count: Int(generator.next() % 3) + 1,
                                    region: generator.next() % 2 == 0 ? "eu" : "us")
            if generator.next() % 3 == 0 { profile.runtimes.insert(.exec) }
            let byte = generator.next() % 10 == 0 ? UInt8(0xAA) : UInt8(generator.next() % 200 + 1)
            var standing = F.standing(byte, reputation: Int(generator.next() % 5) * 2_500, stake: "\(generator.next() % 5)",
                                      profile: generator.next() % 8 == 0 ? nil : profile)
            if generator.next() % 6 == 0 { standing.jailedUntil = Timestamp(millis: Int64(generator.next() % 4_000)) }
            let order = OrderTerms(id: 1, submitter: F.submitter, manifest: manifest, closesAt: Timestamp(millis: Int64(generator.next() % 4_000)))
            let price: Amount? = generator.next() % 4 == 0 ? nil : F.credits("\(generator.next() % 7)")
            let now = Timestamp(millis: Int64(generator.next() % 4_000))
            let fast = Eligibility.isEligible(order: order, standing: standing, price: price, now: now)
            #expect(fast == Eligibility.declineReasons(order: order, standing: standing, price: price, now: now).isEmpty, "round \(round)")
            if fast { eligible += 1 }
        }
        // Both answers were compared, not only "ineligible".
        #expect(eligible >= 5, "\(eligible) of 2,000 rounds eligible")
    }
}
