import Foundation

/// One call to the controller, before it is addressed, signed and sent.
///
/// A value with no URL and no clock, so the exact request target and body that get signed can be
/// built and inspected without a network.
public struct APIRequest: Sendable, Equatable {
    public enum Method: String, Sendable, Equatable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
    }

    public var method: Method
    /// The path and query as sent relative to the controller's base URL: `/v1/orders?state=open`.
    public var pathWithQuery: String
    public var body: Data
    /// The body's media type; nil for an empty body.
    public var contentType: String?
    /// Whether the request carries the `Tender-*` signature headers (every mutating call does).
    public var isSigned: Bool

    public init(method: Method, pathWithQuery: String, body: Data = Data(), contentType: String? = nil, isSigned: Bool) {
        self.method = method
        self.pathWithQuery = pathWithQuery
        self.body = body
        self.contentType = contentType
        self.isSigned = isSigned
    }

    /// An unsigned `GET`.
    public static func get(_ path: String, query: [(String, String?)] = []) -> APIRequest {
        APIRequest(method: .get, pathWithQuery: target(path, query: query), isSigned: false)
    }

    /// A signed request with a JSON body.
    public static func signed<Body: Encodable>(_ method: Method, _ path: String, json body: Body) throws(ClientError) -> APIRequest {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(body) } catch { throw .badRequest("cannot encode the body: \(error)") }
        return APIRequest(method: method, pathWithQuery: path, body: data, contentType: "application/json", isSigned: true)
    }

    /// A signed request with a raw body (or none).
    public static func signed(_ method: Method, _ path: String, body: Data = Data(), contentType: String? = nil) -> APIRequest {
        APIRequest(method: method, pathWithQuery: path, body: body, contentType: body.isEmpty ? contentType : contentType ?? "application/octet-stream", isSigned: true)
    }

    /// `path` followed by the query items that have values, percent-encoded, in the order given.
    public static func target(_ path: String, query: [(String, String?)]) -> String {
        let items = query.compactMap { name, value in value.map { "\(encode(name))=\(encode($0))" } }
        return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }

    /// One path segment, percent-encoded so it cannot add a `/`, `?` or `#` to the target.
    public static func segment(_ text: String) -> String { encode(text) }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
