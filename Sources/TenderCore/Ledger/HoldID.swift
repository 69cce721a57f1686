/// The name of one lock of money: an order's escrow, a lease's collateral, a dispute's bond.
///
/// Callers derive it from the thing it backs (`"order:12"`, `"lease:7"`, `"dispute:3"`), so the
/// shell never has to remember a ledger-issued number. The ledger remembers every id it has seen,
/// open or closed, and never reuses one: the same money cannot be released twice under one name,
/// and a journal line names exactly one lock.
public struct HoldID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(stringLiteral value: String) { self.rawValue = value }

    /// `kind:number`, e.g. `HoldID(kind: "order", number: 12)` is `"order:12"`.
    public init(kind: String, number: some BinaryInteger) {
        self.rawValue = "\(kind):\(number)"
    }

    public static func order(_ number: some BinaryInteger) -> HoldID { HoldID(kind: "order", number: number) }
    public static func lease(_ number: some BinaryInteger) -> HoldID { HoldID(kind: "lease", number: number) }
    public static func dispute(_ number: some BinaryInteger) -> HoldID { HoldID(kind: "dispute", number: number) }

    public static func < (lhs: HoldID, rhs: HoldID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
