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
        clear(candidates: bids.map { Candidate(bid: $0, standing: standings[$0.provider]) }, rule: rule, reserve: reserve, replicas: replicas)
    }

    /// Clears bids whose standings were read already, as the eligibility pass reads them.
    public static func clear(candidates: [Candidate], rule: PricingTerms.Rule, reserve: Amount, replicas: Int = 1) -> Outcome {
        guard replicas > 0 else { return .noWinner(eligibleBids: 0) }
        // Only the winners and the first loser matter, and of each provider only its best bid: one
        // pass keeps the best `replicas + 1` providers' best bids, in rank order, instead of
        // sorting every bid. Each bid's standing is looked up once, not at every comparison.
        var best: [Candidate] = []
        best.reserveCapacity(replicas + 2)
        for candidate in candidates where candidate.bid.price <= reserve && !candidate.bid.price.isZero {
            let bid = candidate.bid
            if let index = best.firstIndex(where: { $0.bid.provider == bid.provider }) {
                guard candidate.isBetter(than: best[index]) else { continue }
                best.remove(at: index)
            } else if best.count > replicas, let last = best.last, !candidate.isBetter(than: last) {
                continue
            }
            let position = best.firstIndex { candidate.isBetter(than: $0) } ?? best.count
            best.insert(candidate, at: position)
            if best.count > replicas + 1 { best.removeLast() }
        }
        let winners = best.prefix(replicas).map(\.bid)
        guard winners.count == replicas else { return .noWinner(eligibleBids: winners.count) }
        let firstLoser = best.count > replicas ? best[replicas].bid : nil
        let awards = winners.map { bid in
            switch rule {
            case .firstPrice: Award(bid: bid, payment: bid.price)
            case .secondPrice: Award(bid: bid, payment: firstLoser?.price ?? reserve)
            }
        }
        return .awarded(awards)
    }

    /// A bid with what ranks it, read once.
    public struct Candidate: Sendable {
        public let bid: Bid
        let reputation: Int
        let stake: Amount

        public init(bid: Bid, standing: BidderStanding?) {
            self.bid = bid
            reputation = standing?.reputationBasisPoints ?? 0
            stake = standing?.freeStake ?? .zero
        }

        /// The ranking order: lower price, then higher reputation, more stake, earlier, lower id.
        func isBetter(than other: Candidate) -> Bool {
            if bid.price != other.bid.price { return bid.price < other.bid.price }
            if reputation != other.reputation { return reputation > other.reputation }
            if stake != other.stake { return stake > other.stake }
            if bid.placedAt != other.bid.placedAt { return bid.placedAt < other.bid.placedAt }
            return bid.id < other.bid.id
        }
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
