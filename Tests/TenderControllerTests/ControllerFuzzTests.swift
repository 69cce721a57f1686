import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TenderControllerService
import TenderClient
import TenderCore
import TenderStore

/// Thousands of malformed requests: none may produce a 500, every refusal is problem+json whose
/// `status` matches the response's, and the controller still answers afterwards (DESIGN section 9:
/// "No input, however malformed, produces a 500 or crashes the process").
@Suite("Controller fuzzing")
struct ControllerFuzzTests {
    static let seed: UInt64 = 0x5EED_F022
    static let requests = 3_000

    @Test("thousands of malformed requests in process: no 500, every error is matching problem+json")
    func malformedRequestsInProcess() async throws {
        let harness = try await ControllerHarness(maxBodyBytes: 1 << 20)
        defer { harness.cleanUp() }
        let fuzzKey = KeyPair()
        let other = Signer()
        try await harness.app.test(.router) { client in
            try await client.signed(.post, "/v1/faucet", by: Signer(fuzzKey), body: json(API.FaucetRequest(account: fuzzKey.account, amount: Amount.credits(1_000))))
            #expect(try await client.upload(ControllerRouteTests.dataset, by: Signer(fuzzKey)) == .created)
            let (created, orderBody) = try await client.signed(.post, "/v1/orders", by: Signer(fuzzKey), body: Data(RequestFuzzer.manifest.utf8),
                                                               contentType: "application/yaml")
            #expect(created == .created)
            let order = try decode(API.OrderView.self, orderBody).order.id

            var fuzzer = RequestFuzzer(seed: Self.seed, signer: fuzzKey, knownOrder: order, knownAccount: other.account, firstNonce: 1 << 40)
            var failures: [String] = []
            for index in 0..<Self.requests {
                let request = fuzzer.next()
                guard let method = HTTPRequest.Method(request.method) else { continue }
                var headers = HTTPFields()
                for header in request.headers {
                    guard let name = HTTPField.Name(header.name) else { continue }
                    headers.append(HTTPField(name: name, value: header.value))
                }
                let (status, contentType, body) = try await client.execute(uri: request.path, method: method, headers: headers,
                                                                           body: ByteBuffer(bytes: request.body)) { response in
                    (response.status.code, response.headers[.contentType], Data(response.body.readableBytesView))
                }
                if let failure = Self.failure(status: status, contentType: contentType, body: body) {
                    failures.append("#\(index) (seed \(Self.seed)): \(failure) for \(request)")
                }
            }
            #expect(failures.isEmpty, "\(failures.count) bad answers; first: \(failures.prefix(10).joined(separator: "\n"))")

            let (health, _) = try await client.get("/v1/health")
            #expect(health == .ok)
        }
        // Whatever the fuzzer's valid requests did, the stored journal still verifies.
        let entries = try await harness.storage.wholeJournal()
        #expect(Ledger.verify(entries).isValid)
    }

    @Test("a manifest or profile whose YAML aliases expand exponentially is refused with 422, not expanded")
    func billionLaughs() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            let body = Data(RequestFuzzer.billionLaughs.utf8)
            let (order, _) = try await client.signed(.post, "/v1/orders", by: alice, body: body, contentType: "application/yaml")
            #expect(order == .unprocessableContent)
            let (profile, _) = try await client.signed(.put, "/v1/providers/\(alice.account.hex)", by: alice, body: body, contentType: "application/yaml")
            #expect(profile == .unprocessableContent)
        }
    }

    /// What is wrong with an answer to a fuzzed request, or nil if it is acceptable.
    static func failure(status: Int, contentType: String?, body: Data) -> String? {
        if status >= 500 { return "status \(status)" }
        guard status >= 400 else { return nil }
        guard contentType?.hasPrefix("application/problem+json") == true else {
            return "status \(status) with content type \(contentType ?? "none")"
        }
        guard let problem = try? JSONDecoder().decode(API.Problem.self, from: body) else {
            return "status \(status) with a body that is not a problem: \(String(decoding: body.prefix(200), as: UTF8.self))"
        }
        return problem.status == status ? nil : "status \(status) but the problem says \(problem.status)"
    }
}
