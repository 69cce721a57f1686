/// An amount of money in integer micro-credits (1 credit = 1,000,000 micros).
///
/// Money never touches floating point: amounts are parsed from and printed to decimal text
/// with exactly six fractional digits, and arithmetic is checked. Overflow and results below
/// zero are errors the caller handles, never traps.
public struct Amount: Sendable, Hashable, Comparable, Codable {
    /// Micro-credits per credit.
    public static let microsPerCredit: Int64 = 1_000_000

    /// The value in micro-credits. Never negative.
    public let micros: Int64

    public static let zero = Amount(uncheckedMicros: 0)

    /// Creates an amount, refusing negative values.
    public init(micros: Int64) throws(AmountError) {
        guard micros >= 0 else { throw .negative }
        self.micros = micros
    }

    /// Creates an amount from a value the caller has already proven non-negative.
    init(uncheckedMicros micros: Int64) {
        precondition(micros >= 0, "Amount must not be negative")
        self.micros = micros
    }

    /// Whole credits, e.g. `Amount.credits(5)` is 5,000,000 micros.
    public static func credits(_ whole: Int64) throws(AmountError) -> Amount {
        let (value, overflow) = whole.multipliedReportingOverflow(by: microsPerCredit)
        guard !overflow else { throw .overflow }
        return try Amount(micros: value)
    }

    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.micros < rhs.micros }

    public var isZero: Bool { micros == 0 }

    // MARK: - Checked arithmetic

    public func adding(_ other: Amount) throws(AmountError) -> Amount {
        let (sum, overflow) = micros.addingReportingOverflow(other.micros)
        guard !overflow else { throw .overflow }
        return Amount(uncheckedMicros: sum)
    }

    public func subtracting(_ other: Amount) throws(AmountError) -> Amount {
        guard other.micros <= micros else { throw .negative }
        return Amount(uncheckedMicros: micros - other.micros)
    }

    /// `self * numerator / denominator`, rounded down, computed without intermediate overflow.
    public func scaled(by numerator: Int64, over denominator: Int64) throws(AmountError) -> Amount {
        guard numerator >= 0, denominator > 0 else { throw .negative }
        guard let quotient = MulDiv.floor(UInt64(micros), times: UInt64(numerator), over: UInt64(denominator)) else {
            throw .overflow
        }
        return Amount(uncheckedMicros: quotient)
    }

    /// The part of `self` given by `basisPoints` (1 bp = 0.01%), rounded down.
    public func basisPoints(_ basisPoints: Int64) throws(AmountError) -> Amount {
        try scaled(by: basisPoints, over: 10_000)
    }

    // MARK: - Codable as a bare integer of micro-credits (the wire form)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(Int64.self)
        guard value >= 0 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "amount must not be negative")
        }
        self.micros = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(micros)
    }
}

/// Why an amount could not be made or computed.
public enum AmountError: Error, Sendable, Equatable, CustomStringConvertible {
    case negative
    case overflow
    case malformed(String)

    public var description: String {
        switch self {
        case .negative: "amount must not be negative"
        case .overflow: "amount is too large"
        case .malformed(let text): "'\(text)' is not an amount: write credits with at most 6 decimals, like 12.345678"
        }
    }
}

/// `a * b / c` rounded down with a 128-bit intermediate, or nil if the result exceeds `Int64.max`.
enum MulDiv {
    static func floor(_ a: UInt64, times b: UInt64, over c: UInt64) -> Int64? {
        precondition(c > 0)
        let product = a.multipliedFullWidth(by: b)
        guard product.high < c else { return nil }
        let (quotient, _) = c.dividingFullWidth(product)
        return quotient <= UInt64(Int64.max) ? Int64(quotient) : nil
    }
}
