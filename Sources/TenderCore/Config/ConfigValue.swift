import Yams

/// A parsed YAML or JSON document as plain values, before any meaning is given to it.
///
/// Manifests and profiles are read from this tree by hand rather than with `Codable`, because
/// validation has to report *every* problem with its field path, and `Codable` stops at the first.
/// Scalars keep their source text, so money (`12.5`) is parsed as decimal and never passes
/// through a `Double`.
public indirect enum ConfigValue: Sendable, Equatable {
    case null
    /// A scalar's text as written, and whether it was quoted (a quoted `"1"` is a string).
    case scalar(String, quoted: Bool)
    case sequence([ConfigValue])
    case mapping([Entry])

    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: ConfigValue
        public var line: Int?
    }

    /// Parses YAML (and therefore JSON, which is a subset YAML 1.2 reads) into a value tree.
    public static func parse(_ text: String) throws(ValidationFailure) -> ConfigValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ValidationFailure([ValidationProblem(path: "", message: "not valid YAML or JSON: \(Self.describe(error))")])
        }
        guard let node else { return .null }
        var budget = maximumValues
        guard let value = convert(node, budget: &budget) else {
            throw ValidationFailure([ValidationProblem(
                path: "", message: "the document expands to more than \(maximumValues) values (through aliases?); Tender documents are small"
            )])
        }
        return value
    }

    /// The most values (scalars, lists, mappings) one document may hold once its aliases are
    /// expanded. The composer shares an anchored node between its aliases, but the tree built here
    /// copies it at every alias, so ten nested anchors of ten aliases each ("billion laughs") would
    /// otherwise make ten billion values from a few hundred bytes.
    public static let maximumValues = 100_000

    /// The node as a value tree, or nil once more than `budget` values have been made.
    private static func convert(_ node: Node, budget: inout Int) -> ConfigValue? {
        budget -= 1
        guard budget >= 0 else { return nil }
        switch node {
        case .scalar(let scalar):
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
            if !quoted, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return .null }
            return .scalar(scalar.string, quoted: quoted)
        case .sequence(let sequence):
            var items: [ConfigValue] = []
            for item in sequence {
                guard let value = convert(item, budget: &budget) else { return nil }
                items.append(value)
            }
            return .sequence(items)
        case .mapping(let mapping):
            var entries: [Entry] = []
            for pair in mapping {
                guard let value = convert(pair.value, budget: &budget) else { return nil }
                // A key that is a list or mapping is not printed: through aliases it could be huge.
                entries.append(Entry(key: pair.key.scalar?.string ?? "(a non-scalar key)", value: value, line: pair.key.mark?.line))
            }
            return .mapping(entries)
        case .alias:
            // Anchors are resolved by the composer; an unresolved alias carries no value.
            return .null
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let yamlError = error as? YamlError {
            switch yamlError {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
                return "\(problem) at line \(mark.line), column \(mark.column)"
            default:
                return "\(yamlError)"
            }
        }
        return "\(error)"
    }

    /// A short name for the kind of value, for messages like "expected a mapping, found a list".
    public var kindName: String {
        switch self {
        case .null: "nothing"
        case .scalar: "a scalar"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}
