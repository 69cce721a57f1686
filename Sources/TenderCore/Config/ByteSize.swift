import Foundation

/// Sizes in the Kubernetes / Akash notation: `512Mi`, `32Gi`, `1.5Ti`, `1G`, `100M`, bare bytes.
public enum ByteSize {
    private static let units: [(suffix: String, factor: Int64)] = [
        ("ki", 1 << 10), ("mi", 1 << 20), ("gi", 1 << 30), ("ti", 1 << 40), ("pi", 1 << 50),
        ("k", 1_000), ("m", 1_000_000), ("g", 1_000_000_000), ("t", 1_000_000_000_000),
        ("p", 1_000_000_000_000_000), ("b", 1),
    ]

    /// Bytes, or nil for text that is not a size. Fractions round down to whole bytes.
    public static func bytes(_ text: String) -> Int64? {
        var number = text.trimmingSpaces().lowercased()
        if number.hasSuffix("ib") || (number.hasSuffix("b") && number.count > 1 && !number.dropLast().last!.isASCIIDigit) {
            number.removeLast() // accept "GiB" and "GB" as well as "Gi" and "G"
        }
        var factor: Int64 = 1
        for unit in units where number.hasSuffix(unit.suffix) {
            factor = unit.factor
            number.removeLast(unit.suffix.count)
            break
        }
        guard let scaled = Decimal6.parse(number.trimmingSpaces()) else { return nil }
        // scaled is value * 1e6; multiply by the factor, then divide by 1e6, without overflow.
        return MulDiv.floor(UInt64(scaled), times: UInt64(factor), over: 1_000_000)
    }

    /// Binary units for display: `80Gi`, `512Mi`, `2148Gi`; exact whenever a unit divides evenly.
    public static func format(_ bytes: Int64) -> String {
        let units: [(String, Int64)] = [("Pi", 1 << 50), ("Ti", 1 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)]
        for (suffix, factor) in units where bytes >= factor && bytes % factor == 0 {
            return "\(bytes / factor)\(suffix)"
        }
        for (suffix, factor) in units where bytes >= factor {
            let hundredths = MulDiv.floor(UInt64(bytes), times: 100, over: UInt64(factor)) ?? 0
            return "\(hundredths / 100).\(String(format: "%02d", hundredths % 100))\(suffix)"
        }
        return "\(bytes)"
    }
}

/// Non-negative decimal text with up to six fractional digits, as an integer scaled by 10^6.
enum Decimal6 {
    static func parse(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), let wholeValue = Int64(whole) else {
            return nil
        }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1].prefix(6)
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit) else { return nil }
            fraction = Int64(digits + String(repeating: "0", count: 6 - digits.count)) ?? 0
        }
        let (scaled, overflow) = wholeValue.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { return nil }
        let (sum, overflowAdd) = scaled.addingReportingOverflow(fraction)
        return overflowAdd ? nil : sum
    }
}
