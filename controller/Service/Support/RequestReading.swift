import Foundation
import HTTPTypes
import Hummingbird
import TenderCore

/// A request body whose signature has been checked against its account.
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

    /// The body, refusing more than `limit` bytes with 413.
    func bodyData(limit: Int) async throws -> Data {
        let buffer = try await body.collect(upTo: limit)
        return Data(buffer.readableBytesView)
    }

    /// Reads the body and checks the request's signature over the exact target as sent (DESIGN section 3).
    func signed(limit: Int) async throws -> SignedBody {
        let data = try await bodyData(limit: limit)
        guard let account = headers[Self.accountField], let nonce = headers[Self.nonceField],
              let signature = headers[Self.signatureField] else { throw AuthError.missingHeaders }
        let parsed = try Self.parseSignature(account: account, nonce: nonce, signature: signature).get()
        let target = head.path ?? uri.description
        guard Self.verifies(parsed, method: method.rawValue, target: target, body: data) else { throw AuthError.badSignature }
        return SignedBody(evidence: RequestEvidence(
            account: parsed.account, nonce: parsed.nonce, method: method.rawValue, target: target, body: data, signature: parsed.signature
        ))
    }

    private static func parseSignature(account: String, nonce: String, signature: String) -> Result<RequestSignature, AuthError> {
        do {
            return .success(try RequestSignature(accountHeader: account, nonceHeader: nonce, signatureHeader: signature))
        } catch {
            return .failure(.malformed(error))
        }
    }

    private static func verifies(_ signature: RequestSignature, method: String, target: String, body: Data) -> Bool {
        do {
            try signature.verify(method: method, pathWithQuery: target, body: body)
            return true
        } catch {
            return false
        }
    }

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
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
