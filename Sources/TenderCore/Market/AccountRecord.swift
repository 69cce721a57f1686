/// What the market knows about an account beyond its balances.
public struct AccountRecord: Sendable, Equatable, Codable {
    public var id: AccountID
    /// The last accepted request nonce; a request must carry a greater one.
    public var lastNonce: UInt64
    public var reputationBasisPoints: Int
    /// The provider profile, once registered.
    public var profile: ProviderProfile?
    public var jailedUntil: Timestamp?

    public init(id: AccountID) {
        self.id = id
        self.lastNonce = 0
        self.reputationBasisPoints = Reputation.initialBasisPoints
        self.profile = nil
        self.jailedUntil = nil
    }
}
