import Foundation
import Testing
import TenderClient
import TenderCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Request signing")
struct RequestSigningTests {
    static let key = KeyPair()

    /// The signature headers of a built request, parsed the way the controller parses them.
    static func signature(of request: URLRequest) throws -> RequestSignature {
        let account = try #require(request.value(forHTTPHeaderField: RequestSignature.accountHeader))
        let nonce = try #require(request.value(forHTTPHeaderField: RequestSignature.nonceHeader))
        let signature = try #require(request.value(forHTTPHeaderField: RequestSignature.signatureHeader))
        return try RequestSignature(accountHeader: account, nonceHeader: nonce, signatureHeader: signature)
    }

    @Test("a signed request's headers verify for the exact target, query included")
    func signedHeadersVerify() throws {
        let client = try TenderAPIClient(controller: "http://127.0.0.1:8080", key: Self.key)
        let body = Data(#"{"amount":5000000}"#.utf8)
        let target = "/v1/providers/\(Self.key.account.hex)/stake?dry=1&note=a%20b"
        let request = APIRequest(method: .post, pathWithQuery: target, body: body, contentType: "application/json", isSigned: true)
        let built = try client.urlRequest(for: request)

        #expect(built.httpMethod == "POST")
        #expect(built.url?.absoluteString == "http://127.0.0.1:8080" + target)
        #expect(built.httpBody == body)
        #expect(built.value(forHTTPHeaderField: "Content-Type") == "application/json")

        let signature = try Self.signature(of: built)
        #expect(signature.account == Self.key.account)
        try signature.verify(method: "POST", pathWithQuery: target, body: body)
        // The query is part of what is signed: the same path without it, or another body, does not verify.
        #expect(throws: IdentityError.badSignature) {
            try signature.verify(method: "POST", pathWithQuery: "/v1/providers/\(Self.key.account.hex)/stake", body: body)
        }
        #expect(throws: IdentityError.badSignature) {
            try signature.verify(method: "POST", pathWithQuery: target, body: Data(#"{"amount":6000000}"#.utf8))
        }
        #expect(throws: IdentityError.badSignature) {
            try signature.verify(method: "PUT", pathWithQuery: target, body: body)
        }
    }

    @Test("a base URL's path prefix is part of the signed target")
    func basePathIsSigned() throws {
        let client = try TenderAPIClient(controller: "http://example.test:9000/tender/", key: Self.key)
        let request = APIRequest.signed(.post, "/v1/orders/7/cancel")
        let built = try client.urlRequest(for: request)
        #expect(built.url?.absoluteString == "http://example.test:9000/tender/v1/orders/7/cancel")
        #expect(client.target(for: request) == "/tender/v1/orders/7/cancel")
        try Self.signature(of: built).verify(method: "POST", pathWithQuery: "/tender/v1/orders/7/cancel", body: Data())
        #expect(built.httpBody == nil)
    }

    @Test("raw artifact bodies are signed over their bytes with an octet-stream type")
    func artifactBody() throws {
        let client = try TenderAPIClient(controller: "http://127.0.0.1:8080", key: Self.key)
        let bytes = Data((0..<1024).map { UInt8($0 % 251) })
        let hash = Hashing.sha256Hex(bytes)
        let built = try client.urlRequest(for: .signed(.put, "/v1/artifacts/\(hash)", body: bytes, contentType: "application/octet-stream"))
        #expect(built.value(forHTTPHeaderField: "Content-Type") == "application/octet-stream")
        try Self.signature(of: built).verify(method: "PUT", pathWithQuery: "/v1/artifacts/\(hash)", body: bytes)
    }

    @Test("JSON bodies carry amounts as integer micro-credits")
    func jsonBodies() throws {
        let request = try APIRequest.signed(.post, "/v1/faucet", json: API.FaucetRequest(account: Self.key.account, amount: Amount.parse("12.5")))
        let object = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect(object["amount"] as? Int == 12_500_000)
        #expect(object["account"] as? String == Self.key.account.hex)
        #expect(request.contentType == "application/json")
    }

    @Test("reads are not signed, and query values are percent-encoded")
    func unsignedGet() throws {
        let client = try TenderAPIClient(controller: "http://127.0.0.1:8080", key: Self.key)
        let request = APIRequest.get("/v1/orders", query: [("state", "open"), ("submitter", nil), ("q", "a b&c=d")])
        #expect(request.pathWithQuery == "/v1/orders?state=open&q=a%20b%26c%3Dd")
        let built = try client.urlRequest(for: request)
        #expect(built.httpMethod == "GET")
        #expect(built.value(forHTTPHeaderField: RequestSignature.signatureHeader) == nil)
        #expect(built.value(forHTTPHeaderField: RequestSignature.nonceHeader) == nil)
    }

    @Test("a signed request without a key is refused before anything is sent")
    func missingKey() throws {
        let client = try TenderAPIClient(controller: "http://127.0.0.1:8080")
        #expect(throws: ClientError.missingKey(request: "POST /v1/orders/3/cancel")) {
            try client.urlRequest(for: .signed(.post, "/v1/orders/3/cancel"))
        }
    }

    @Test("controller URLs that cannot address a controller are refused", arguments: [
        "127.0.0.1:8080", "ftp://127.0.0.1", "http://", "http://host/?x=1", "not a url",
    ])
    func badControllerURL(_ text: String) {
        #expect(throws: ClientError.self) { try TenderAPIClient(controller: text) }
    }

    @Test("concurrent signed requests get distinct, increasing nonces that all verify")
    func concurrentSigning() async throws {
        let client = try TenderAPIClient(controller: "http://127.0.0.1:8080", key: Self.key)
        let nonces = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for task in 0..<16 {
                group.addTask {
                    var seen: [UInt64] = []
                    for index in 0..<50 {
                        let target = "/v1/orders?task=\(task)&index=\(index)"
                        let built = try client.urlRequest(for: APIRequest(method: .post, pathWithQuery: target, isSigned: true))
                        let signature = try Self.signature(of: built)
                        try signature.verify(method: "POST", pathWithQuery: target, body: Data())
                        seen.append(signature.nonce)
                    }
                    return seen
                }
            }
            var all: [[UInt64]] = []
            for try await seen in group { all.append(seen) }
            return all
        }
        for seen in nonces {
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 < $1 }, "each task's nonces increase")
        }
        let flat = nonces.flatMap { $0 }
        #expect(Set(flat).count == flat.count, "no nonce is handed out twice")
    }
}
