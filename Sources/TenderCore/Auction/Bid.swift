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
    public var profile: ProviderProfile? {
        get { profileReference?.profile }
        set { profileReference = newValue.map(ProfileReference.init) }
    }
    /// Reputation in basis points of 1 (0...10,000), so ordering never depends on float rounding.
    public var reputationBasisPoints: Int
    /// Stake not locked as collateral and not unbonding.
    public var freeStake: Amount
    public var jailedUntil: Timestamp?

    /// The profile behind one reference: an auction reads a standing for every bid, and copying a
    /// standing should cost one retain, not one for each string and collection of a profile.
    private var profileReference: ProfileReference?

    final class ProfileReference: Sendable {
        let profile: ProviderProfile
        init(_ profile: ProviderProfile) { self.profile = profile }
    }

    public init(account: AccountID, profile: ProviderProfile?, reputationBasisPoints: Int, freeStake: Amount, jailedUntil: Timestamp? = nil) {
        self.account = account
        self.profileReference = profile.map(ProfileReference.init)
        self.reputationBasisPoints = reputationBasisPoints
        self.freeStake = freeStake
        self.jailedUntil = jailedUntil
    }

    /// Whether a profile is registered, and the eligibility check's view of it, without a copy.
    func withProfile<T>(_ body: (borrowing ProviderProfile) -> T) -> T? {
        guard let profileReference else { return nil }
        return body(profileReference.profile)
    }

    public static func == (lhs: BidderStanding, rhs: BidderStanding) -> Bool {
        lhs.account == rhs.account && lhs.profile == rhs.profile && lhs.reputationBasisPoints == rhs.reputationBasisPoints
            && lhs.freeStake == rhs.freeStake && lhs.jailedUntil == rhs.jailedUntil
    }

    private enum CodingKeys: String, CodingKey {
        case account, profile, reputationBasisPoints, freeStake, jailedUntil
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            account: try container.decode(AccountID.self, forKey: .account),
            profile: try container.decodeIfPresent(ProviderProfile.self, forKey: .profile),
            reputationBasisPoints: try container.decode(Int.self, forKey: .reputationBasisPoints),
            freeStake: try container.decode(Amount.self, forKey: .freeStake),
            jailedUntil: try container.decodeIfPresent(Timestamp.self, forKey: .jailedUntil)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(account, forKey: .account)
        try container.encodeIfPresent(profile, forKey: .profile)
        try container.encode(reputationBasisPoints, forKey: .reputationBasisPoints)
        try container.encode(freeStake, forKey: .freeStake)
        try container.encodeIfPresent(jailedUntil, forKey: .jailedUntil)
    }
}
