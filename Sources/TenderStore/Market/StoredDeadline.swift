import TenderCore

/// A row of the `deadlines` table: "(kind, id) is due at `dueAt`".
///
/// Plain strings so the store does not depend on how the market names its timers: the controller
/// maps its own deadline type onto it (for TenderCore's `Deadline`, `kind.rawValue` and the subject
/// number as the id). One deadline per (kind, id): setting it again moves it.
public struct StoredDeadline: Sendable, Hashable, Codable {
    public let kind: String
    public let id: String
    public let dueAt: Timestamp

    public init(kind: String, id: String, dueAt: Timestamp) {
        self.kind = kind
        self.id = id
        self.dueAt = dueAt
    }
}
