/// What the market knows of one stored artifact: who uploaded it for themselves, and which orders
/// it belongs to. Who may read it follows from these (`Marketplace.mayRead(artifact:reader:)`).
public struct ArtifactRecord: Sendable, Equatable, Codable {
    /// The SHA-256 of the bytes, lowercase hex: the artifact's name in the store.
    public var hash: String
    /// Accounts that stored it outside any lease, each charged its size once against its quota.
    /// Sorted, without repeats.
    public var uploaders: [AccountID]
    /// Orders it belongs to: as an order's manifest, as an input the manifest names, or as
    /// something a provider uploaded for a lease on the order. Sorted, without repeats.
    public var orders: [OrderID]

    public init(hash: String, uploaders: [AccountID] = [], orders: [OrderID] = []) {
        self.hash = hash
        self.uploaders = uploaders
        self.orders = orders
    }

    /// Adds `account` to the uploaders; false when it was one already.
    mutating func addUploader(_ account: AccountID) -> Bool {
        guard !uploaders.contains(account) else { return false }
        uploaders.append(account)
        uploaders.sort()
        return true
    }

    /// Ties the artifact to `order`; false when it was tied already.
    mutating func tie(to order: OrderID) -> Bool {
        guard !orders.contains(order) else { return false }
        orders.append(order)
        orders.sort()
        return true
    }
}
