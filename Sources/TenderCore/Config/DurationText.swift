/// Durations as people write them in manifests: `90s`, `15m`, `2h`, `1d`, `1h30m`, or bare seconds.
public enum DurationText {
    /// Seconds, or nil if the text is not a duration or overflows.
    public static func seconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingSpaces().lowercased()
        guard !trimmed.isEmpty else { return nil }
        if let bare = Int64(trimmed) { return bare >= 0 ? bare : nil }
        var total: Int64 = 0
        var digits = ""
        for char in trimmed {
            if char.isASCIIDigit {
                digits.append(char)
                continue
            }
            let unit: Int64
            switch char {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3_600
            case "d": unit = 86_400
            default: return nil
            }
            guard let value = Int64(digits) else { return nil }
            let (part, overflowMul) = value.multipliedReportingOverflow(by: unit)
            let (sum, overflowAdd) = total.addingReportingOverflow(part)
            guard !overflowMul, !overflowAdd else { return nil }
            total = sum
            digits = ""
        }
        return digits.isEmpty ? total : nil
    }

    /// The shortest exact text for `seconds`: `1h30m`, `45s`, `2d`.
    public static func format(_ seconds: Int64) -> String {
        if seconds == 0 { return "0s" }
        var rest = seconds
        var out = ""
        for (unit, suffix) in [(Int64(86_400), "d"), (3_600, "h"), (60, "m"), (1, "s")] where rest >= unit {
            out += "\(rest / unit)\(suffix)"
            rest %= unit
        }
        return out
    }
}
