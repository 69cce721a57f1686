import Foundation

/// Checks JSON against the OpenAPI document's schemas: the subset the document uses (`$ref`,
/// `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `pattern`,
/// `oneOf`, `minimum`, `maximum`). Returns every mismatch with its JSON path.
struct SchemaValidator {
    let document: [String: Any]

    init(document data: Data) throws {
        guard let document = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.coderReadCorrupt)
        }
        self.document = document
    }

    /// The 2xx response schema the document gives for `method path` (a concrete path, query
    /// ignored), matched against its path templates.
    func responseSchema(method: String, path: String, status: Int) -> [String: Any]? {
        let concrete = path.split(separator: "?").first.map(String.init) ?? path
        let segments = concrete.split(separator: "/", omittingEmptySubsequences: false)
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        for (template, operations) in paths {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count,
                  zip(parts, segments).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }),
                  let operation = operations[method.lowercased()] as? [String: Any],
                  let responses = operation["responses"] as? [String: Any],
                  let response = responses[String(status)] as? [String: Any],
                  let content = response["content"] as? [String: Any],
                  let json = content["application/json"] as? [String: Any] else { continue }
            return json["schema"] as? [String: Any]
        }
        return nil
    }

    func problems(_ value: Any, against schema: [String: Any], at path: String = "$") -> [String] {
        if let reference = schema["$ref"] as? String {
            let name = String(reference.split(separator: "/").last ?? "")
            guard let components = document["components"] as? [String: Any], let schemas = components["schemas"] as? [String: Any],
                  let target = schemas[name] as? [String: Any] else { return ["\(path): unresolved \(reference)"] }
            return problems(value, against: target, at: path)
        }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            let matching = choices.filter { problems(value, against: $0, at: path).isEmpty }
            return matching.count == 1 ? [] : ["\(path): matches \(matching.count) of the \(choices.count) oneOf schemas"]
        }
        var found: [String] = []
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            found.append("\(path): \(value) is not one of \(allowed)")
        }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { return found + ["\(path): expected an object"] }
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                found.append("\(path).\(key): required but absent")
            }
            for (key, item) in object {
                if let property = properties[key] {
                    found += problems(item, against: property, at: "\(path).\(key)")
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    found += problems(item, against: extra, at: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    found.append("\(path).\(key): not in the document")
                }
            }
        case "array":
            guard let array = value as? [Any] else { return found + ["\(path): expected an array"] }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() { found += problems(item, against: items, at: "\(path)[\(index)]") }
            }
        case "string":
            guard let string = value as? String else { return found + ["\(path): expected a string"] }
            if let pattern = schema["pattern"] as? String, string.range(of: pattern, options: .regularExpression) == nil {
                found.append("\(path): '\(string.prefix(40))' does not match \(pattern)")
            }
        case "integer":
            guard let number = value as? NSNumber, !Self.isBool(number), number.doubleValue.rounded() == number.doubleValue else {
                return found + ["\(path): expected an integer, got \(value)"]
            }
            if let minimum = schema["minimum"] as? Double, number.doubleValue < minimum { found.append("\(path): below \(minimum)") }
            if let maximum = schema["maximum"] as? Double, number.doubleValue > maximum { found.append("\(path): above \(maximum)") }
        case "number":
            guard let number = value as? NSNumber, !Self.isBool(number) else { return found + ["\(path): expected a number"] }
        case "boolean":
            guard let number = value as? NSNumber, Self.isBool(number) else { return found + ["\(path): expected a boolean"] }
        default:
            break
        }
        return found
    }

    /// JSONSerialization hands booleans over as a boolean subclass of NSNumber.
    static func isBool(_ number: NSNumber) -> Bool {
        String(describing: type(of: number)).contains("Boolean")
    }
}
