import TenderCore

/// One document read back from the store, with the key and time it was written under.
public struct StoredDocument<Value> {
    public let kind: String
    public let id: String
    public let value: Value
    /// The `now` the controller passed to the last `put`.
    public let updatedAt: Timestamp

    public init(kind: String, id: String, value: Value, updatedAt: Timestamp) {
        self.kind = kind
        self.id = id
        self.value = value
        self.updatedAt = updatedAt
    }
}

extension StoredDocument: Sendable where Value: Sendable {}
extension StoredDocument: Equatable where Value: Equatable {}
