import Foundation

extension ConfigValue {
    /// The document as JSON text with every scalar written as a JSON string.
    ///
    /// Tender's readers take scalars by their text, so `"2700"` reads as the number 2700 and
    /// `"2.5"` as 2.5 credits: nothing is lost, and no number passes through a float on the way.
    public var jsonText: String {
        switch self {
        case .null:
            return "null"
        case .scalar(let text, _):
            return Self.quote(text)
        case .sequence(let items):
            return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .mapping(let entries):
            return "{" + entries.map { Self.quote($0.key) + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }

    private static func quote(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A copy with the scalar at `path` (a list of mapping keys) replaced by `text`.
    public func replacing(path: [String], with text: String) -> ConfigValue {
        guard let first = path.first else { return .scalar(text, quoted: true) }
        guard case .mapping(var entries) = self, let index = entries.firstIndex(where: { $0.key == first }) else { return self }
        entries[index].value = entries[index].value.replacing(path: Array(path.dropFirst()), with: text)
        return .mapping(entries)
    }
}

extension JobManifest {
    /// The manifest text with local input paths replaced by `sha256:` references, as JSON.
    ///
    /// A client uploads each local file the manifest names, then submits this text, so the
    /// controller and every provider see content addresses only.
    public static func rewritingInputs(_ text: String, _ replacements: [String: String]) throws(ValidationFailure) -> String {
        var document = try ConfigValue.parse(text)
        for field in ["dataset", "model", "inputs", "program"] {
            guard case .mapping(let root) = document,
                  case .mapping(let workload)? = root.first(where: { $0.key == "workload" })?.value,
                  case .scalar(let value, _)? = workload.first(where: { $0.key == field })?.value,
                  let replacement = replacements[value.trimmingSpaces()] else { continue }
            document = document.replacing(path: ["workload", field], with: replacement)
        }
        return document.jsonText
    }
}
