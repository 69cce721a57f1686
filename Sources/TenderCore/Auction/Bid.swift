/// A provider's offer to run an order for a total price.
public struct Bid: Sendable, Equatable, Codable {
    public var id: UInt64
    public var order: OrderID
    public var provider: AccountID
    /// Total price for the whole job, per provider.
    public var price: Amount
    public var placedAt: Timestamp

    public init(id: UInt64, order: OrderID, provider: AccountID, price: Amount, placedAt: Timestamp) {
        self.id = id
        self.order = order
        self.provider = provider
        self.price = price
        self.placedAt = placedAt
    }
}

/// What the market knows about a provider when it bids or when the auction clears.
public struct BidderStanding: Sendable, Equatable, Codable {
    public var account: AccountID
    /// The registered profile; nil for an account that never registered one.
    public var profile: ProviderProfile?
    /// Reputation in basis points of 1 (0...10,000), so ordering never depends on float rounding.
    public var reputationBasisPoints: Int
    /// Stake not locked as collateral and not unbonding.
    public var freeStake: Amount
    public var jailedUntil: Timestamp?

    public init(account: AccountID, profile: ProviderProfile?, reputationBasisPoints: Int, freeStake: Amount, jailedUntil: Timestamp? = nil) {
        self.account = account
        self.profile = profile
        self.reputationBasisPoints = reputationBasisPoints
        self.freeStake = freeStake
        self.jailedUntil = jailedUntil
    }
}
