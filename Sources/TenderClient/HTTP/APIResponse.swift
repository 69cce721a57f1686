import Foundation
import TenderCore

/// A controller's answer as received: status, headers and body, before any decoding.
public struct APIResponse: Sendable, Equatable {
    public var status: Int
    /// Header values by lowercased name.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    public var contentType: String? { headers["content-type"] }

    /// The body decoded as `T`, or `.unexpectedResponse` saying why it is not one.
    public func decode<T: Decodable>(_ type: T.Type) throws(ClientError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch {
            throw .unexpectedResponse(status: status, reason: "the body is not a \(T.self): \(Self.describe(error)); body: \(snippet)")
        }
    }

    /// The error an unsuccessful answer stands for: its problem details when it has them.
    ///
    /// Problem bodies are read leniently (RFC 9457 makes every member optional), so a controller, a
    /// proxy or a test server that leaves out `detail` still yields the problem and not a decode error.
    public var error: ClientError {
        if let lenient = try? JSONDecoder().decode(LenientProblem.self, from: body),
           lenient.title != nil || lenient.detail != nil || lenient.problems != nil || lenient.reasons != nil {
            let problem = API.Problem(
                type: lenient.type ?? "about:blank",
                title: lenient.title ?? HTTPStatus.reason(status),
                status: lenient.status ?? status,
                detail: lenient.detail ?? "",
                problems: lenient.problems,
                reasons: lenient.reasons
            )
            return .api(status: status, problem: problem)
        }
        let reason = body.isEmpty ? HTTPStatus.reason(status) : "\(HTTPStatus.reason(status)): \(snippet)"
        return .unexpectedResponse(status: status, reason: reason)
    }

    /// The start of the body as text, for error messages.
    var snippet: String {
        guard !body.isEmpty else { return "(empty)" }
        let words = String(decoding: body.prefix(400), as: UTF8.self).split(whereSeparator: \.isWhitespace)
        let text = words.joined(separator: " ")
        return text.count > 160 || body.count > 400 ? String(text.prefix(160)) + "..." : text
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "missing '\(path(context.codingPath + [key]))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at '\(path(context.codingPath))'"
        case DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty ? "not JSON" : "bad value at '\(path(context.codingPath))': \(context.debugDescription)"
        default:
            "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private struct LenientProblem: Decodable {
        var type: String?
        var title: String?
        var status: Int?
        var detail: String?
        var problems: [ValidationProblem]?
        var reasons: [API.Problem.Reason]?
    }
}

/// Reason phrases for the statuses the controller uses.
enum HTTPStatus {
    static func reason(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "HTTP \(status)"
        }
    }
}
