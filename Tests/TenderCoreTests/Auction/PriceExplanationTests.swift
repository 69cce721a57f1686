import Testing
@testable import TenderCore

@Suite("price explanation")
struct PriceExplanationTests {
    typealias F = Fixtures

    @Test("before the auction, second-price warns that a lone bid pays the maximum")
    func beforeAuction() {
        let second = PriceExplanation.beforeAuction(PricingTerms(maxPrice: F.credits("2.5")))
        #expect(second.contains("second-price"))
        #expect(second.contains("only one provider bids"))
        #expect(second.contains("2.500000"))
        let first = PriceExplanation.beforeAuction(PricingTerms(maxPrice: F.credits("2.5"), rule: .firstPrice))
        #expect(first.contains("the winning bid itself"))
        let replicated = PriceExplanation.beforeAuction(PricingTerms(maxPrice: F.credits("2.5")), replicas: 2)
        #expect(replicated.contains("2 providers") && replicated.contains("escrowed for each") && !replicated.contains("only one provider"))
    }

    @Test("a lone bid under second-price is explained as paying the maximum, whatever it bid")
    func loneBid() {
        let terms = PricingTerms(maxPrice: F.credits("2.5"))
        let bids = [F.bid(1, by: 1, price: "0.021")]
        let text = PriceExplanation.cleared(terms, bids: bids, winner: F.account(1), payment: F.credits("2.5"))
        #expect(text == "second-price: won with a bid of 0.021000 and no other eligible bid, so the price is the maximum, 2.500000")
    }

    @Test("with a losing bid, second-price names it as the price")
    func losingBidSetsThePrice() {
        let terms = PricingTerms(maxPrice: F.credits("2.5"))
        let bids = [F.bid(1, by: 1, price: "0.5"), F.bid(2, by: 2, price: "0.7"), F.bid(3, by: 3, price: "0.9")]
        let text = PriceExplanation.cleared(terms, bids: bids, winner: F.account(1), payment: F.credits("0.7"))
        #expect(text == "second-price: won with a bid of 0.500000 and is paid the lowest losing bid, 0.700000")
    }

    @Test("first-price pays the winning bid")
    func firstPrice() {
        let terms = PricingTerms(maxPrice: F.credits("2.5"), rule: .firstPrice)
        let text = PriceExplanation.cleared(terms, bids: [F.bid(1, by: 1, price: "0.5")], winner: F.account(1), payment: F.credits("0.5"))
        #expect(text == "first-price: won with a bid of 0.500000 and is paid that bid, 0.500000")
    }

    @Test("the explanation agrees with what the auction clears, for lone and contested orders")
    func agreesWithTheAuction() throws {
        let terms = PricingTerms(maxPrice: F.credits("1"))
        for bids in [[F.bid(1, by: 1, price: "0.3")], [F.bid(1, by: 1, price: "0.3"), F.bid(2, by: 2, price: "0.4")]] {
            let standings = Dictionary(uniqueKeysWithValues: bids.map { ($0.provider, F.standing(UInt8($0.id))) })
            guard case .awarded(let awards) = Auction.clear(bids: bids, standings: standings, rule: .secondPrice, reserve: terms.maxPrice) else {
                Issue.record("no award")
                continue
            }
            let award = try #require(awards.first)
            let text = PriceExplanation.cleared(terms, bids: bids, winner: award.bid.provider, payment: award.payment)
            #expect(text.hasSuffix(award.payment.description), "\(text)")
            #expect(text.contains(bids.count == 1 ? "the maximum" : "lowest losing bid"))
        }
    }
}

@Suite("provider page")
struct ProviderPageTests {
    @Test("lists accounts with a profile only, in account order, in pages that cover each once")
    func pages() throws {
        var market = Marketplace(policy: Fixtures.policy)
        let providers: [UInt8] = [9, 3, 7, 1, 5]
        for byte in providers { _ = market.register(profile: Fixtures.profile(), for: Fixtures.account(byte), now: Timestamp(millis: 0)) }
        _ = try? market.mint(Fixtures.credits("1"), to: Fixtures.account(4), now: Timestamp(millis: 0))
        var seen: [AccountID] = []
        var after: AccountID?
        var pages = 0
        repeat {
            let (page, next) = market.providerPage(after: after, limit: 2)
            #expect(page.count <= 2)
            seen += page
            after = next
            pages += 1
        } while after != nil && pages < 10
        #expect(seen == providers.sorted().map(Fixtures.account))
        #expect(pages == 3)
        #expect(market.providerPage(after: nil, limit: 5).next == nil, "an exactly full last page has no next")
        // Rebuilt from the records a store keeps, the index is the same.
        let rebuilt = Marketplace(
            policy: market.policy, ledger: market.ledger, accounts: Array(market.accounts.values), orders: [], leases: [], counters: market.counters
        )
        #expect(rebuilt.providerIDs.elements == Set(providers.map(Fixtures.account)))
        // A registration taken back leaves no provider behind.
        struct Abandon: Error {}
        do {
            try market.atomically { market throws in
                _ = market.register(profile: Fixtures.profile(), for: Fixtures.account(200), now: Timestamp(millis: 0))
                throw Abandon()
            }
        } catch is Abandon {}
        #expect(!market.providerIDs.contains(Fixtures.account(200)))
        #expect(market.providerPage(after: nil, limit: 10).providers.count == providers.count)
    }
}
