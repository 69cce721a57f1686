/// Clears a reverse auction: the lowest eligible prices win (DESIGN section 5).
///
/// Ties go to higher reputation, then more free stake, then the earlier bid, then the lower bid
/// id, so the outcome is a pure function of its inputs. Under `second-price` every winner is paid
/// the lowest losing price (the second-lowest bid when there is one winner), or the reserve when
/// no bid loses; bidding one's true cost is then the best strategy. Under `first-price` each
/// winner is paid its own bid.
public enum Auction {
    public struct Award: Sendable, Equatable, Codable {
        public var bid: Bid
        /// What the winner is paid when the lease settles.
        public var payment: Amount
    }

    public enum Outcome: Sendable, Equatable {
        /// Not enough eligible bids for the replicas the order needs.
        case noWinner(eligibleBids: Int)
        case awarded([Award])
    }

    /// Clears `bids` for `replicas` winners under `rule`, with `reserve` as the highest acceptable price.
    ///
    /// `standings` supplies reputation and stake for tie-breaks; bids above the reserve never win.
    /// Each provider wins at most once, so a replicated job runs on two different accounts.
    public static func clear(
        bids: [Bid], standings: [AccountID: BidderStanding], rule: PricingTerms.Rule, reserve: Amount, replicas: Int = 1
    ) -> Outcome {
        let ranked = bids
            .filter { $0.price <= reserve && !$0.price.isZero }
            .sorted { isBetter($0, than: $1, standings: standings) }
        var winners: [Bid] = []
        var losers: [Bid] = []
        var seen = Set<AccountID>()
        for bid in ranked where seen.insert(bid.provider).inserted {
            if winners.count < replicas { winners.append(bid) } else { losers.append(bid) }
        }
        guard winners.count == replicas, replicas > 0 else { return .noWinner(eligibleBids: winners.count) }
        let awards = winners.map { bid in
            switch rule {
            case .firstPrice: Award(bid: bid, payment: bid.price)
            case .secondPrice: Award(bid: bid, payment: losers.first?.price ?? reserve)
            }
        }
        return .awarded(awards)
    }

    /// The ranking order: lower price, then higher reputation, more stake, earlier, lower id.
    static func isBetter(_ lhs: Bid, than rhs: Bid, standings: [AccountID: BidderStanding]) -> Bool {
        if lhs.price != rhs.price { return lhs.price < rhs.price }
        let left = standings[lhs.provider]
        let right = standings[rhs.provider]
        let leftReputation = left?.reputationBasisPoints ?? 0
        let rightReputation = right?.reputationBasisPoints ?? 0
        if leftReputation != rightReputation { return leftReputation > rightReputation }
        let leftStake = left?.freeStake ?? .zero
        let rightStake = right?.freeStake ?? .zero
        if leftStake != rightStake { return leftStake > rightStake }
        if lhs.placedAt != rhs.placedAt { return lhs.placedAt < rhs.placedAt }
        return lhs.id < rhs.id
    }
}
