/// A typed id: `OrderID`, `LeaseID` and `DisputeID` are each their own type, so the compiler
/// catches one passed where another is meant. On the wire and in storage each is a plain integer.
public struct MarketID<Kind: MarketIDKind>: Sendable, Hashable, Comparable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public var rawValue: UInt64

    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    public init(integerLiteral value: UInt64) { self.rawValue = value }

    /// Parses the decimal text of a path parameter or an argument; nil when it is not one.
    public init?(_ text: some StringProtocol) {
        guard let value = UInt64(text) else { return nil }
        self.rawValue = value
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The next id after this one.
    public var next: Self { Self(rawValue + 1) }

    public var description: String { String(rawValue) }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UInt64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// What a `MarketID` names; each kind is an empty enum used only as a type.
public protocol MarketIDKind: Sendable {
    /// The hold-id prefix of the money locked for this kind of object (`order`, `lease`, `dispute`).
    static var holdPrefix: String { get }
}

public enum OrderIDKind: MarketIDKind { public static let holdPrefix = "order" }
public enum LeaseIDKind: MarketIDKind { public static let holdPrefix = "lease" }
public enum DisputeIDKind: MarketIDKind { public static let holdPrefix = "dispute" }

public typealias OrderID = MarketID<OrderIDKind>
public typealias LeaseID = MarketID<LeaseIDKind>
public typealias DisputeID = MarketID<DisputeIDKind>

extension MarketID {
    /// The ledger hold that keeps this object's money: an order's escrow, a lease's collateral, a dispute's bond.
    public var hold: HoldID { HoldID(kind: Kind.holdPrefix, number: rawValue) }
}
