import Foundation

/// The one JSON encoding whose bytes are signed and hashed: keys sorted, no insignificant
/// whitespace, slashes unescaped.
///
/// Signed objects carry integers and strings only (amounts are micro-credits, times are
/// milliseconds), so there is no float formatting to disagree about between languages.
public enum CanonicalJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }
}
