extension Amount: CustomStringConvertible, LosslessStringConvertible {
    /// Parses credits written in decimal, e.g. `12`, `12.5`, `0.000001`, `1_000.25`.
    ///
    /// At most six fractional digits are accepted: a seventh would be a fraction of a micro-credit,
    /// and silently rounding money is worse than refusing it.
    public static func parse(_ text: String) throws(AmountError) -> Amount {
        let trimmed = text.trimmingSpaces()
        let cleaned = trimmed.filter { $0 != "_" }
        let parts = cleaned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholePart = parts.first, !wholePart.isEmpty, wholePart.allSatisfy(\.isASCIIDigit) else {
            throw .malformed(text)
        }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let fractionPart = parts[1]
            guard !fractionPart.isEmpty, fractionPart.count <= 6, fractionPart.allSatisfy(\.isASCIIDigit) else {
                throw .malformed(text)
            }
            let padded = fractionPart + String(repeating: "0", count: 6 - fractionPart.count)
            guard let value = Int64(padded) else { throw .malformed(text) }
            fraction = value
        }
        guard let whole = Int64(wholePart) else { throw .overflow }
        let credits = try Amount.credits(whole)
        return try credits.adding(Amount(uncheckedMicros: fraction))
    }

    public init?(_ description: String) {
        guard let value = try? Amount.parse(description) else { return nil }
        self = value
    }

    /// Credits with exactly six decimals: `12.345678`.
    public var description: String {
        let whole = micros / Amount.microsPerCredit
        let fraction = String(micros % Amount.microsPerCredit)
        return "\(whole)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
