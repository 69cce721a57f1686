import Testing
@testable import TenderCore

@Suite("Auction clearing")
struct AuctionTests {
    typealias F = Fixtures

    func standings(_ list: [BidderStanding]) -> [AccountID: BidderStanding] {
        Dictionary(uniqueKeysWithValues: list.map { ($0.account, $0) })
    }

    @Test("one bidder under second price is paid the reserve")
    func oneBidder() {
        let outcome = Auction.clear(bids: [F.bid(1, by: 1, price: "3")], standings: standings([F.standing(1)]),
                                    rule: .secondPrice, reserve: F.credits("10"))
        #expect(outcome == .awarded([Auction.Award(bid: F.bid(1, by: 1, price: "3"), payment: F.credits("10"))]))
    }

    @Test("second price pays the winner the second-lowest bid")
    func secondPrice() {
        let bids = [F.bid(1, by: 1, price: "7"), F.bid(2, by: 2, price: "4"), F.bid(3, by: 3, price: "5.5")]
        let outcome = Auction.clear(bids: bids, standings: standings([F.standing(1), F.standing(2), F.standing(3)]),
                                    rule: .secondPrice, reserve: F.credits("10"))
        #expect(outcome == .awarded([Auction.Award(bid: bids[1], payment: F.credits("5.5"))]))
    }

    @Test("first price pays the winner its own bid")
    func firstPrice() {
        let bids = [F.bid(1, by: 1, price: "7"), F.bid(2, by: 2, price: "4")]
        let outcome = Auction.clear(bids: bids, standings: standings([F.standing(1), F.standing(2)]),
                                    rule: .firstPrice, reserve: F.credits("10"))
        #expect(outcome == .awarded([Auction.Award(bid: bids[1], payment: F.credits("4"))]))
    }

    @Test("ties go to reputation, then stake, then the earlier bid, then the lower id")
    func ties() {
        let byReputation = Auction.clear(
            bids: [F.bid(1, by: 1, price: "5"), F.bid(2, by: 2, price: "5")],
            standings: standings([F.standing(1, reputation: 4_000), F.standing(2, reputation: 9_000)]),
            rule: .firstPrice, reserve: F.credits("10"))
        #expect(byReputation == .awarded([Auction.Award(bid: F.bid(2, by: 2, price: "5"), payment: F.credits("5"))]))

        let byStake = Auction.clear(
            bids: [F.bid(1, by: 1, price: "5"), F.bid(2, by: 2, price: "5")],
            standings: standings([F.standing(1, stake: "500"), F.standing(2, stake: "100")]),
            rule: .firstPrice, reserve: F.credits("10"))
        #expect(byStake == .awarded([Auction.Award(bid: F.bid(1, by: 1, price: "5"), payment: F.credits("5"))]))

        let byTime = Auction.clear(
            bids: [F.bid(1, by: 1, price: "5", at: 2_000), F.bid(2, by: 2, price: "5", at: 1_500)],
            standings: standings([F.standing(1), F.standing(2)]), rule: .secondPrice, reserve: F.credits("10"))
        // Tied at 5: the earlier bid wins and, under second price, is paid the equal losing bid.
        #expect(byTime == .awarded([Auction.Award(bid: F.bid(2, by: 2, price: "5", at: 1_500), payment: F.credits("5"))]))

        let byID = Auction.clear(
            bids: [F.bid(9, by: 1, price: "5"), F.bid(4, by: 2, price: "5")],
            standings: standings([F.standing(1), F.standing(2)]), rule: .firstPrice, reserve: F.credits("10"))
        #expect(byID == .awarded([Auction.Award(bid: F.bid(4, by: 2, price: "5"), payment: F.credits("5"))]))
    }

    @Test("a bid above the reserve never wins")
    func aboveReserve() {
        let outcome = Auction.clear(bids: [F.bid(1, by: 1, price: "10.000001")], standings: standings([F.standing(1)]),
                                    rule: .secondPrice, reserve: F.credits("10"))
        #expect(outcome == .noWinner(eligibleBids: 0))

        let mixed = Auction.clear(bids: [F.bid(1, by: 1, price: "12"), F.bid(2, by: 2, price: "9")],
                                  standings: standings([F.standing(1), F.standing(2)]), rule: .secondPrice, reserve: F.credits("10"))
        // The bid above the reserve is not a losing bid either: the winner is paid the reserve.
        #expect(mixed == .awarded([Auction.Award(bid: F.bid(2, by: 2, price: "9"), payment: F.credits("10"))]))
    }

    @Test("a replicated order takes two different providers, each paid the lowest losing bid")
    func replicated() {
        let bids = [F.bid(1, by: 1, price: "3"), F.bid(2, by: 1, price: "2"), F.bid(3, by: 2, price: "4"), F.bid(4, by: 3, price: "6")]
        let outcome = Auction.clear(bids: bids, standings: standings([F.standing(1), F.standing(2), F.standing(3)]),
                                    rule: .secondPrice, reserve: F.credits("10"), replicas: 2)
        #expect(outcome == .awarded([
            Auction.Award(bid: bids[1], payment: F.credits("6")),
            Auction.Award(bid: bids[2], payment: F.credits("6")),
        ]))
        let short = Auction.clear(bids: [bids[0], bids[1]], standings: standings([F.standing(1)]),
                                  rule: .secondPrice, reserve: F.credits("10"), replicas: 2)
        #expect(short == .noWinner(eligibleBids: 1))
    }

    @Test("clearing is a pure function of its inputs, whatever the bid order")
    func orderIndependent() {
        var generator = SplitMix(seed: 2026)
        let bids = (1...40).map { index in
            F.bid(UInt64(index), by: UInt8(index), price: "\(generator.next() % 5 + 1)", at: Int64(generator.next() % 3))
        }
        let all = standings((1...40).map { F.standing(UInt8($0), reputation: Int(generator.next() % 3) * 1_000) })
        let expected = Auction.clear(bids: bids, standings: all, rule: .secondPrice, reserve: F.credits("10"))
        for _ in 0..<20 {
            var shuffled = bids
            shuffled.shuffle(using: &generator)
            #expect(Auction.clear(bids: shuffled, standings: all, rule: .secondPrice, reserve: F.credits("10")) == expected)
        }
    }
}

/// SplitMix64: a tiny seeded generator so property tests repeat exactly.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
