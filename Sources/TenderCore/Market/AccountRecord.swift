/// What the market knows about an account beyond its balances.
public struct AccountRecord: Sendable, Equatable, Codable {
    public var id: AccountID
    /// The last accepted request nonce; a request must carry a greater one.
    public var lastNonce: UInt64
    public var reputationBasisPoints: Int
    /// The provider profile, once registered.
    public var profile: ProviderProfile?
    public var jailedUntil: Timestamp?
    /// Bytes of artifacts stored by this account outside any lease, charged against its quota.
    public var artifactBytes: Int64

    public init(id: AccountID) {
        self.id = id
        self.lastNonce = 0
        self.reputationBasisPoints = Reputation.initialBasisPoints
        self.profile = nil
        self.jailedUntil = nil
        self.artifactBytes = 0
    }

    /// Decodes a stored record; one written before artifacts were counted has stored none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(AccountID.self, forKey: .id)
        lastNonce = try c.decode(UInt64.self, forKey: .lastNonce)
        reputationBasisPoints = try c.decode(Int.self, forKey: .reputationBasisPoints)
        profile = try c.decodeIfPresent(ProviderProfile.self, forKey: .profile)
        jailedUntil = try c.decodeIfPresent(Timestamp.self, forKey: .jailedUntil)
        artifactBytes = try c.decodeIfPresent(Int64.self, forKey: .artifactBytes) ?? 0
    }
}
