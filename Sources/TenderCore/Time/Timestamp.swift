import Foundation

/// A point in time: milliseconds since the Unix epoch, UTC.
///
/// The core never reads a clock. Shells read one and pass `now` in, so every decision
/// can be replayed and tested at any instant.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var millis: Int64

    public init(millis: Int64) { self.millis = millis }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.millis < rhs.millis }

    /// This instant moved by `seconds`, saturating instead of overflowing.
    public func adding(seconds: Int64) -> Timestamp {
        let (delta, overflowMul) = seconds.multipliedReportingOverflow(by: 1000)
        if overflowMul { return Timestamp(millis: seconds > 0 ? .max : .min) }
        let (sum, overflowAdd) = millis.addingReportingOverflow(delta)
        if overflowAdd { return Timestamp(millis: delta > 0 ? .max : .min) }
        return Timestamp(millis: sum)
    }

    public init(from decoder: any Decoder) throws {
        millis = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(millis)
    }

    /// ISO 8601 in UTC with milliseconds, as people and logs read it: `2026-11-26T14:09:11.123Z`.
    public var description: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}
