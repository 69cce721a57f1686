/// A dispute's number. Its own type, so it cannot be passed where a lease or an order is meant;
/// on the wire and in storage it is a plain integer.
public struct DisputeID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    public static func < (lhs: DisputeID, rhs: DisputeID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }

    /// The ledger hold that keeps this dispute's bond.
    public var hold: HoldID { .dispute(rawValue) }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UInt64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
