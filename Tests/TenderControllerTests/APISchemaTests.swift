import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TenderControllerService
import TenderCore

/// Every response a client sees in a whole job matches the schema the OpenAPI document gives it,
/// and no view carries Swift's synthesized `_0` keys.
@Suite("API responses against the OpenAPI document")
struct APISchemaTests {
    @Test("a whole job's responses, reads and writes, match the document's schemas")
    func wholeJob() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let submitter = Signer(), provider = Signer()
        try await harness.app.test(.router) { client in
            let (_, documentBody) = try await client.get("/v1/openapi.json")
            let validator = try SchemaValidator(document: documentBody)
            var checked = 0
            func check(_ method: String, _ path: String, _ status: HTTPResponse.Status, _ body: Data) {
                guard let schema = validator.responseSchema(method: method, path: path, status: status.code) else {
                    Issue.record("the document gives no schema for \(method) \(path) \(status.code)")
                    return
                }
                guard let value = try? JSONSerialization.jsonObject(with: body) else {
                    Issue.record("\(method) \(path) did not answer JSON")
                    return
                }
                let problems = validator.problems(value, against: schema)
                #expect(problems.isEmpty, "\(method) \(path): \(problems.joined(separator: "; "))")
                #expect(!String(decoding: body, as: UTF8.self).contains("\"_0\""), "\(method) \(path) carries a synthesized _0 key")
                checked += 1
            }
            func get(_ path: String) async throws {
                let (status, body) = try await client.get(path)
                #expect(status == .ok, "GET \(path): \(status)")
                check("GET", path, status, body)
            }
            func post(_ path: String, by signer: Signer, _ body: Data, contentType: String = "application/json", method: HTTPRequest.Method = .post) async throws {
                let (status, answer) = try await client.signed(method, path, by: signer, body: body, contentType: contentType)
                #expect((200..<300).contains(status.code), "\(method) \(path): \(status) \(String(decoding: answer, as: UTF8.self))")
                check(method.rawValue, path, status, answer)
            }

            for signer in [submitter, provider] {
                try await post("/v1/faucet", by: signer, json(API.FaucetRequest(account: signer.account, amount: Amount.credits(100))))
            }
            try await post("/v1/providers/\(provider.account.hex)", by: provider, Data(ControllerRouteTests.profile.utf8),
                           contentType: "application/yaml", method: .put)
            try await post("/v1/providers/\(provider.account.hex)/stake", by: provider, json(API.AmountRequest(amount: Amount.credits(10))))
            try await post("/v1/transfers", by: submitter, json(API.TransferRequest(to: provider.account, amount: Amount.credits(1))))
            #expect(try await client.upload(ControllerRouteTests.dataset, by: submitter) == .created)
            let (created, orderBody) = try await client.signed(.post, "/v1/orders", by: submitter, body: Data(ControllerRouteTests.manifest.utf8), contentType: "application/yaml")
            check("POST", "/v1/orders", created, orderBody)
            let order = try decode(API.OrderView.self, orderBody).order
            try await post("/v1/orders/\(order.id)/bids", by: provider, json(API.BidRequest(price: Amount.credits(3))))
            harness.clock.advance(seconds: 31)
            await MarketClock(service: harness.service, runners: nil, logger: .init(label: "test")).tick()
            let lease = try #require(try decode(API.OrderView.self, try await client.get("/v1/orders/\(order.id)").1).leases.first)
            try await post("/v1/leases/\(lease.id)/heartbeat", by: provider, json(API.HeartbeatRequest(step: 5, loss: 0.5)))
            let hashes = (0..<3).map { Hashing.sha256(Data("state \($0)".utf8)) }
            let commitment = try Signed(try Commitment(
                lease: lease.id, stateHashes: hashes, totalSteps: 10, checkpointInterval: 5, resultHash: Hashing.sha256(Data("r".utf8))
            ), by: provider.key)
            #expect(try await client.upload(Commitment.trace(of: hashes), by: provider, lease: lease.id) == .created)
            try await post("/v1/leases/\(lease.id)/commitment", by: provider, json(commitment))
            harness.clock.advance(seconds: 1)
            await MarketClock(service: harness.service, runners: nil, logger: .init(label: "test")).tick()

            for path in [
                "/v1/health", "/v1/accounts/\(provider.account.hex)", "/v1/accounts/\(submitter.account.hex)", "/v1/providers",
                "/v1/orders", "/v1/orders/\(order.id)", "/v1/leases", "/v1/leases/\(lease.id)", "/v1/leases/\(lease.id)/audit",
                "/v1/disputes", "/v1/ledger/supply", "/v1/ledger/head", "/v1/ledger/journal",
            ] {
                try await get(path)
            }
            #expect(checked >= 22)
        }
    }

    @Test("the check fails what it should: a missing field, a wrong type, an undocumented key, Swift's _0 shape")
    func validatorCatches() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        try await harness.app.test(.router) { client in
            let validator = try SchemaValidator(document: try await client.get("/v1/openapi.json").1)
            let schema: [String: Any] = ["$ref": "#/components/schemas/AccountView"]
            let balances: [String: Any] = ["available": 1, "staked": 0, "unbonding": 0, "escrowed": 0, "bonded": 0, "lockedCollateral": 0]
            let good: [String: Any] = ["account": String(repeating: "a", count: 64), "balances": balances, "reputationBasisPoints": 5000, "lastNonce": 3, "unbonding": []]
            #expect(validator.problems(good, against: schema).isEmpty)
            var missing = good
            missing["balances"] = nil
            #expect(validator.problems(missing, against: schema) == ["$.balances: required but absent"])
            var wrongType = good
            wrongType["lastNonce"] = "3"
            #expect(!validator.problems(wrongType, against: schema).isEmpty)
            var extra = good
            extra["secret"] = true
            #expect(validator.problems(extra, against: schema) == ["$.secret: not in the document"])
            let legacy: [String: Any] = ["strategy": "linear", "linear": ["_0": [:]]]
            #expect(!validator.problems(legacy, against: ["$ref": "#/components/schemas/LinearPricing"]).isEmpty)
        }
    }
}
