/// A submitted job and its auction.
public struct Order: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Equatable, Codable {
        /// Taking bids until `closesAt`.
        case open
        /// Cleared; the work continues in the order's leases.
        case awarded
        /// Closed without enough eligible bids; escrow refunded.
        case expired
        /// Cancelled by the submitter while open; escrow refunded.
        case cancelled
    }

    public var id: OrderID
    public var submitter: AccountID
    public var manifest: JobManifest
    /// SHA-256 of the manifest text as submitted; the text is kept in the artifact store.
    public var manifestHash: String
    public var createdAt: Timestamp
    public var closesAt: Timestamp
    /// What is still locked in this order's escrow.
    public var escrow: Amount
    public var state: State
    public var bids: [Bid]

    public var terms: OrderTerms {
        OrderTerms(id: id, submitter: submitter, manifest: manifest, closesAt: closesAt)
    }
}
