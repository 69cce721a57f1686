/// What a submitter pays and why, in words: before the auction (the rule and what it can cost)
/// and after it (which bid set the price).
///
/// Second-price surprises people who have not met it: a lone bid of 0.02 against a maximum of 2.5
/// clears at 2.5, because no losing bid sets a lower price. Saying so at submit time, and again
/// beside the price, is cheaper than a support question.
public enum PriceExplanation {
    /// Before any bid: what the rule will charge, for an order run by `replicas` providers.
    public static func beforeAuction(_ terms: PricingTerms, replicas: Int = 1) -> String {
        if replicas > 1 {
            return switch terms.rule {
            case .secondPrice:
                "second-price, \(replicas) providers: each is paid the lowest bid that did not win, at most the maximum \(terms.maxPrice); "
                    + "if no other provider bids, each is paid the full \(terms.maxPrice); the maximum is escrowed for each"
            case .firstPrice:
                "first-price, \(replicas) providers: each is paid its own bid, at most the maximum \(terms.maxPrice); the maximum is escrowed for each"
            }
        }
        return switch terms.rule {
        case .secondPrice:
            "second-price: you pay the lowest losing bid, at most your maximum \(terms.maxPrice); "
                + "if only one provider bids, there is no losing bid and you pay the full \(terms.maxPrice) "
                + "(use rule: first-price to pay the winning bid itself)"
        case .firstPrice:
            "first-price: you pay the winning bid itself, at most your maximum \(terms.maxPrice)"
        }
    }

    /// After clearing: why `payment` is the price of the lease won by `winner` among `bids`.
    public static func cleared(_ terms: PricingTerms, bids: [Bid], winner: AccountID, payment: Amount) -> String {
        let winning = bids.filter { $0.provider == winner }.map(\.price).min()
        let bidText = winning.map { "won with a bid of \($0)" } ?? "won"
        switch terms.rule {
        case .firstPrice:
            return "first-price: \(bidText) and is paid that bid, \(payment)"
        case .secondPrice:
            if bids.contains(where: { $0.provider != winner && $0.price == payment }) {
                return "second-price: \(bidText) and is paid the lowest losing bid, \(payment)"
            }
            return "second-price: \(bidText) and no other eligible bid, so the price is the maximum, \(payment)"
        }
    }
}
