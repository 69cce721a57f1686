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
    /// Who may read it through finished orders, which have left memory: their submitters and the
    /// providers of their leases. Sorted, without repeats. An order's tie is folded in here when
    /// it finishes (`Marketplace.retire`), so the record grows with the readers an artifact has,
    /// not with every order that ever named it.
    public var finishedReaders: [AccountID]
    /// A finished order that named it declared `artifacts: public`.
    public var finishedPublic: Bool

    public init(
        hash: String, uploaders: [AccountID] = [], orders: [OrderID] = [], finishedReaders: [AccountID] = [],
        finishedPublic: Bool = false
    ) {
        self.hash = hash
        self.uploaders = uploaders
        self.orders = orders
        self.finishedReaders = finishedReaders
        self.finishedPublic = finishedPublic
    }

    private enum CodingKeys: String, CodingKey {
        case hash, uploaders, orders, finishedReaders, finishedPublic
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hash = try c.decode(String.self, forKey: .hash)
        uploaders = try c.decode([AccountID].self, forKey: .uploaders)
        orders = try c.decode([OrderID].self, forKey: .orders)
        // Records stored before orders left memory have neither.
        finishedReaders = try c.decodeIfPresent([AccountID].self, forKey: .finishedReaders) ?? []
        finishedPublic = try c.decodeIfPresent(Bool.self, forKey: .finishedPublic) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hash, forKey: .hash)
        try c.encode(uploaders, forKey: .uploaders)
        try c.encode(orders, forKey: .orders)
        if !finishedReaders.isEmpty { try c.encode(finishedReaders, forKey: .finishedReaders) }
        if finishedPublic { try c.encode(finishedPublic, forKey: .finishedPublic) }
    }

    /// Adds `account` to the uploaders; false when it was one already.
    mutating func addUploader(_ account: AccountID) -> Bool {
        guard !uploaders.contains(account) else { return false }
        uploaders.append(account)
        uploaders.sort()
        return true
    }

    /// Folds a finished order's tie into the readers it leaves behind: `readers` (its submitter and
    /// its leases' providers) may go on reading, and anyone may when the order was public.
    mutating func fold(order: OrderID, readers: [AccountID], isPublic: Bool) {
        orders.removeAll { $0 == order }
        finishedReaders = Array(Set(finishedReaders).union(readers)).sorted()
        finishedPublic = finishedPublic || isPublic
    }

    /// Ties the artifact to `order`; false when it was tied already.
    mutating func tie(to order: OrderID) -> Bool {
        guard !orders.contains(order) else { return false }
        orders.append(order)
        orders.sort()
        return true
    }
}
