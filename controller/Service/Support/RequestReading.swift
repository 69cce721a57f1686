import Foundation
import HTTPTypes
import Hummingbird
import TenderCore

/// A request body whose signature has been checked against its account (see `RequestGate`).
struct SignedBody: Sendable {
    /// The request as signed, kept with every journal entry it causes.
    var evidence: RequestEvidence

    var account: AccountID { evidence.account }
    var nonce: UInt64 { evidence.nonce }
    var body: Data { evidence.body }
}

extension Request {
    static let accountField = HTTPField.Name(RequestSignature.accountHeader)!
    static let nonceField = HTTPField.Name(RequestSignature.nonceHeader)!
    static let signatureField = HTTPField.Name(RequestSignature.signatureHeader)!

    /// The body, refusing more than `limit` bytes with 413 and `tooLarge` (or a plain message) as its detail.
    func bodyData(limit: Int, tooLarge: String? = nil) async throws -> Data {
        do {
            let buffer = try await body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw ProblemResponse(.contentTooLarge, "Body too large", tooLarge ?? "this route accepts a body of at most \(limit) bytes")
        } catch {
            // The client broke off or sent a malformed body: its fault, not the controller's.
            throw ProblemResponse(.badRequest, "Unreadable body", "the request body could not be read: \(error)")
        }
    }

    /// The request target exactly as sent, path and query: what the signature covers.
    var signedTarget: String { head.path ?? uri.description }

    /// Decodes a JSON body, refusing other content types with 415.
    func decodeJSON<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let contentType = headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw ProblemResponse(.unsupportedMediaType, "Unsupported media type", "send application/json")
        }
        return try JSONDecoder().decode(type, from: data)
    }

    /// Text of a YAML or JSON document body (manifests, profiles), refusing other content types.
    func documentText(from data: Data) throws -> String {
        let allowed = ["application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/plain"]
        if let contentType = headers[.contentType]?.lowercased(), !allowed.contains(where: { contentType.hasPrefix($0) }) {
            throw ProblemResponse(.unsupportedMediaType, "Unsupported media type", "send the document as application/yaml or application/json")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ProblemResponse(.badRequest, "Malformed body", "the document is not UTF-8 text")
        }
        return text
    }
}

extension Parameters {
    /// A path parameter parsed as an id; 404 for anything that is not one.
    func id<Kind>(_ name: String, what: String) throws -> MarketID<Kind> {
        guard let text = get(name), let id = MarketID<Kind>(text) else { throw MarketplaceError.notFound("\(what) '\(get(name) ?? "")'") }
        return id
    }

    func account(_ name: String) throws -> AccountID {
        guard let text = get(name), let id = try? AccountID(text) else {
            throw ProblemResponse(.notFound, "Not found", "'\(get(name) ?? "")' is not an account id")
        }
        return id
    }
}

/// JSON answers with sorted keys, so responses are stable for people and tests alike.
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return make(json: Array(try encoder.encode(value)), status: status)
    }

    /// A body already encoded as JSON.
    static func make(json: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }
}
