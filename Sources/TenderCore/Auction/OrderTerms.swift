/// The parts of an order that eligibility and clearing read.
public struct OrderTerms: Sendable, Equatable, Codable {
    public var id: OrderID
    public var submitter: AccountID
    public var manifest: JobManifest
    public var closesAt: Timestamp

    public init(id: OrderID, submitter: AccountID, manifest: JobManifest, closesAt: Timestamp) {
        self.id = id
        self.submitter = submitter
        self.manifest = manifest
        self.closesAt = closesAt
    }
}
