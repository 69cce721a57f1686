/// Reads the fields of one mapping in a document, reporting wrong types, bad values, missing
/// required fields and unknown keys, each with its full path.
///
/// Every accessor returns `nil` after reporting when the field is absent or wrong, so the caller
/// keeps reading and one pass finds every problem.
final class FieldReader {
    let path: String
    private let entries: [ConfigValue.Entry]
    private let log: ProblemLog
    private var seen: Set<String> = []

    /// A reader over `value` at `path`; reports and returns nil unless `value` is a mapping.
    static func mapping(_ value: ConfigValue?, at path: String, log: ProblemLog, required: Bool = true) -> FieldReader? {
        switch value {
        case .mapping(let entries):
            var keys = Set<String>()
            for entry in entries where !keys.insert(entry.key).inserted {
                log.report(path.appendingField(entry.key), "appears more than once")
            }
            return FieldReader(path: path, entries: entries, log: log)
        case nil, .null?:
            if required { log.report(path, "is required") }
            return nil
        case let other?:
            log.report(path, "expected a mapping, found \(other.kindName)")
            return nil
        }
    }

    private init(path: String, entries: [ConfigValue.Entry], log: ProblemLog) {
        self.path = path
        self.entries = entries
        self.log = log
    }

    var keys: [String] { entries.map(\.key) }

    func fieldPath(_ key: String) -> String { path.appendingField(key) }

    func report(_ key: String, _ message: String) { log.report(fieldPath(key), message) }

    var problemLog: ProblemLog { log }

    /// The raw value of `key`, marking it as known. Reports a missing required field.
    func value(_ key: String, required: Bool = false) -> ConfigValue? {
        seen.insert(key)
        let found = entries.first { $0.key == key }?.value
        if found == nil || found == .null {
            if required { log.report(fieldPath(key), "is required") }
            return nil
        }
        return found
    }

    /// Reports every key that no accessor asked for: a typo should not be silently ignored.
    func rejectUnknownKeys() {
        for entry in entries where !seen.contains(entry.key) {
            log.report(fieldPath(entry.key), "is not a known field")
        }
    }

    // MARK: - Scalars

    func scalar(_ key: String, required: Bool = false) -> String? {
        guard let value = value(key, required: required) else { return nil }
        guard case .scalar(let text, _) = value else {
            report(key, "expected a value, found \(value.kindName)")
            return nil
        }
        return text
    }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let text = scalar(key, required: required) else { return nil }
        if text.trimmingSpaces().isEmpty {
            report(key, "must not be empty")
            return nil
        }
        return text
    }

    func integer(_ key: String, required: Bool = false, range: ClosedRange<Int64>) -> Int64? {
        guard let text = scalar(key, required: required) else { return nil }
        guard let number = Int64(text.filter { $0 != "_" }) else {
            report(key, "expected a whole number, found '\(text)'")
            return nil
        }
        return checkRange(key, number, range)
    }

    func unsigned(_ key: String, required: Bool = false) -> UInt64? {
        guard let text = scalar(key, required: required) else { return nil }
        guard let number = UInt64(text.filter { $0 != "_" }) else {
            report(key, "expected a whole number >= 0, found '\(text)'")
            return nil
        }
        return number
    }

    func number(_ key: String, required: Bool = false, range: ClosedRange<Double>) -> Double? {
        guard let text = scalar(key, required: required) else { return nil }
        guard let number = Double(text), number.isFinite else {
            report(key, "expected a number, found '\(text)'")
            return nil
        }
        guard range.contains(number) else {
            report(key, "must be between \(range.lowerBound.formattedPlain) and \(range.upperBound.formattedPlain)")
            return nil
        }
        return number
    }

    func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let text = scalar(key, required: required) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(key, "expected true or false, found '\(text)'")
            return nil
        }
    }

    func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, required: Bool = false, as type: Choice.Type
    ) -> Choice? where Choice.RawValue == String {
        guard let text = scalar(key, required: required) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            report(key, "must be one of \(allowed), found '\(text)'")
            return nil
        }
        return choice
    }

    func amount(_ key: String, required: Bool = false, positive: Bool = false) -> Amount? {
        guard let text = scalar(key, required: required) else { return nil }
        do {
            let amount = try Amount.parse(text)
            if positive && amount.isZero {
                report(key, "must be greater than 0")
                return nil
            }
            return amount
        } catch {
            report(key, error.description)
            return nil
        }
    }

    /// A duration like `90s`, `15m`, `2h`, `1d`, `1h30m`, or bare seconds; returned in seconds.
    func duration(_ key: String, required: Bool = false, range: ClosedRange<Int64>) -> Int64? {
        guard let text = scalar(key, required: required) else { return nil }
        guard let seconds = DurationText.seconds(text) else {
            report(key, "expected a duration like 90s, 15m, 2h or 1d, found '\(text)'")
            return nil
        }
        return checkRange(key, seconds, range, unit: "s")
    }

    /// A byte size like `512Mi`, `32Gi`, `1G` or bare bytes.
    func byteSize(_ key: String, required: Bool = false) -> Int64? {
        guard let text = scalar(key, required: required) else { return nil }
        guard let bytes = ByteSize.bytes(text) else {
            report(key, "expected a size like 512Mi, 32Gi or 1T, found '\(text)'")
            return nil
        }
        if bytes <= 0 {
            report(key, "must be greater than 0")
            return nil
        }
        return bytes
    }

    // MARK: - Nested

    func mapping(_ key: String, required: Bool = false) -> FieldReader? {
        let found = value(key)
        if found == nil && !required { return nil }
        return FieldReader.mapping(found, at: fieldPath(key), log: log, required: required)
    }

    /// The items of a list, with their paths. A single mapping is accepted as a list of one
    /// when `acceptSingle` is set (Akash SDL writes `storage: {size: 1Gi}` and `storage: [...]`).
    func list(_ key: String, required: Bool = false, acceptSingle: Bool = false) -> [(path: String, value: ConfigValue)]? {
        guard let found = value(key, required: required) else { return nil }
        switch found {
        case .sequence(let items):
            return items.enumerated().map { (fieldPath(key).appendingIndex($0.offset), $0.element) }
        case .mapping where acceptSingle:
            return [(fieldPath(key), found)]
        default:
            report(key, "expected a list, found \(found.kindName)")
            return nil
        }
    }

    private func checkRange(_ key: String, _ number: Int64, _ range: ClosedRange<Int64>, unit: String = "") -> Int64? {
        if number < range.lowerBound {
            report(key, "must be >= \(range.lowerBound)\(unit)")
            return nil
        }
        if number > range.upperBound {
            report(key, "must be <= \(range.upperBound)\(unit)")
            return nil
        }
        return number
    }
}

extension Double {
    var formattedPlain: String {
        self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self)
    }
}
