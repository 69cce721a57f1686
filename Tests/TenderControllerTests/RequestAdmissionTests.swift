import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TenderControllerService
import TenderCore
import TenderStore

/// The hardening issue's attacks on request signing: bodies read before the signature was looked
/// at, refused requests replayed to succeed later, a nonce that locks an account, and keys anyone
/// can sign for.
@Suite("Signed requests: admitted before their bodies, nonces used up, strict keys")
struct RequestAdmissionTests {
    /// Twice the harness's 1 MiB body limit: a controller that read it first would answer 413.
    static let bigBody = Data(count: 2 << 20)

    @Test("an unsigned oversized body is refused as unsigned (401), not read to its end (413)")
    func unsignedBodyIsNotRead() async throws {
        let harness = try await ControllerHarness(maxBodyBytes: 1 << 20)
        defer { harness.cleanUp() }
        let routes: [(HTTPRequest.Method, String)] = [
            (.put, "/v1/artifacts/\(Hashing.sha256Hex(Self.bigBody))"), (.post, "/v1/transfers"), (.post, "/v1/orders"),
        ]
        try await harness.app.test(.router) { client in
            for (method, path) in routes {
                let status = try await client.execute(uri: path, method: method, headers: [.contentType: "application/octet-stream"],
                                                      body: ByteBuffer(bytes: Self.bigBody)) { $0.status }
                #expect(status == .unauthorized, "\(method) \(path)")
            }
        }
        #expect(harness.storedFiles().isEmpty)
    }

    @Test("an account the controller does not know is refused at its headers, whatever its body")
    func unknownAccountBodyIsNotRead() async throws {
        let harness = try await ControllerHarness(maxBodyBytes: 1 << 20)
        defer { harness.cleanUp() }
        let stranger = Signer()
        try await harness.app.test(.router) { client in
            let (upload, problem) = try await client.signed(.put, "/v1/artifacts/\(Hashing.sha256Hex(Self.bigBody))", by: stranger,
                                                            body: Self.bigBody, contentType: "application/octet-stream")
            #expect(upload == .unauthorized)
            #expect(try decode(API.Problem.self, problem).title == "Unknown account")
            #expect(try await client.signed(.post, "/v1/transfers", by: stranger, body: Self.bigBody).0 == .unauthorized)
            #expect(try await client.submit(ControllerRouteTests.manifest, by: stranger).0 == .unauthorized)
        }
        #expect(harness.storedFiles().isEmpty)
        #expect(await harness.service.snapshot.accounts[stranger.account] == nil)
    }

    @Test("a used nonce is refused (409) before the body is read")
    func usedNonceBodyIsNotRead() async throws {
        let harness = try await ControllerHarness(maxBodyBytes: 1 << 20)
        defer { harness.cleanUp() }
        let alice = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            let nonce = Signer.nextNonce()
            let transfer = try json(API.TransferRequest(to: Signer().account, amount: Amount.credits(1)))
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer, nonce: nonce).0 == .ok)
            let (status, _) = try await client.signed(.put, "/v1/artifacts/\(Hashing.sha256Hex(Self.bigBody))", by: alice,
                                                      body: Self.bigBody, contentType: "application/octet-stream", nonce: nonce)
            #expect(status == .conflict)
        }
    }

    @Test("a signed target padded past 1 KiB is refused (414) at its headers, so the journal never keeps it")
    func paddedTargetRefused() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            let transfer = try json(API.TransferRequest(to: Signer().account, amount: Amount.credits(1)))
            let padded = "/v1/transfers?pad=" + String(repeating: "x", count: 2_000)
            #expect(try await client.signed(.post, padded, by: alice, body: transfer).0 == .uriTooLong)
            #expect(try await client.signed(.post, "/v1/transfers?pad=x", by: alice, body: transfer).0 == .ok)
        }
    }

    @Test("a refused transfer uses up its nonce, durably: replayed once the money is there, it is still refused")
    func refusedTransferCannotBeReplayed() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer(), bob = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice, credits: 1)
            let transfer = try json(API.TransferRequest(to: bob.account, amount: Amount.credits(5)))
            let nonce = Signer.nextNonce()
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer, nonce: nonce).0 == .conflict)
            // The refusal's nonce is in the database, not only in memory.
            let id = alice.account.hex
            let stored = try await harness.storage.document(AccountRecord.self, kind: MarketDocuments.accountKind, id: id)
            #expect(stored?.lastNonce == nonce)
            // Alice is paid later; the refused request, replayed byte for byte, would now succeed.
            try await client.fund(alice, credits: 10)
            let (replayed, problem) = try await client.signed(.post, "/v1/transfers", by: alice, body: transfer, nonce: nonce)
            #expect(replayed == .conflict)
            #expect(try decode(API.Problem.self, problem).title == "Replayed nonce")
            let (_, view) = try await client.get("/v1/accounts/\(bob.account.hex)")
            #expect(try decode(API.AccountView.self, view).balances.available == .zero)
        }
    }

    @Test("a request its route refuses after the signature verified uses up its nonce; a bad signature does not")
    func routeRefusalSpendsNonce() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            let lastNonce = { () async throws -> UInt64 in
                try decode(API.AccountView.self, try await client.get("/v1/accounts/\(alice.account.hex)").1).lastNonce
            }
            let before = try await lastNonce()
            var forged = try alice.headers(method: .post, path: "/v1/transfers", body: Data("{}".utf8))
            forged[.contentType] = "application/json"
            let badSignature = try await client.execute(uri: "/v1/transfers", method: .post, headers: forged,
                                                        body: ByteBuffer(bytes: Data("not json".utf8))) { $0.status }
            #expect(badSignature == .unauthorized)
            #expect(try await lastNonce() == before)
            let nonce = Signer.nextNonce()
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: Data("not json".utf8), nonce: nonce).0 == .badRequest)
            #expect(try await lastNonce() == nonce)
        }
    }

    @Test("a nonce of UInt64.max is refused with 422 and does not lock the account")
    func maximalNonce() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            let transfer = try json(API.TransferRequest(to: Signer().account, amount: Amount.credits(1)))
            let (status, problem) = try await client.signed(.post, "/v1/transfers", by: alice, body: transfer, nonce: .max)
            #expect(status == .unprocessableContent)
            #expect(try decode(API.Problem.self, problem).detail.contains("more than a day ahead"))
            let limit = UInt64(harness.clock.now.millis) + 86_400_000
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer, nonce: limit + 1).0 == .unprocessableContent)
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer).0 == .ok)
            let (_, view) = try await client.get("/v1/accounts/\(alice.account.hex)")
            #expect(try decode(API.AccountView.self, view).lastNonce < limit)
        }
    }

    @Test("a request 'signed' for the identity key (R = identity, S = 0 verifies for any message under a lax check) is refused")
    func smallOrderAccount() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let identity = "0100000000000000000000000000000000000000000000000000000000000000"
        var forged = try #require(Hex.decode(identity))
        forged.append(Data(count: 32))
        let body = Data(#"{"account":"\#(identity)","amount":1000000}"#.utf8)
        var headers = HTTPFields()
        headers[HTTPField.Name(RequestSignature.accountHeader)!] = identity
        headers[HTTPField.Name(RequestSignature.nonceHeader)!] = "1"
        headers[HTTPField.Name(RequestSignature.signatureHeader)!] = forged.base64EncodedString()
        headers[.contentType] = "application/json"
        let alice = Signer()
        let forgedHeaders = headers
        try await harness.app.test(.router) { client in
            let (status, problem) = try await client.execute(uri: "/v1/faucet", method: .post, headers: forgedHeaders, body: ByteBuffer(bytes: body)) {
                ($0.status, Data($0.body.readableBytesView))
            }
            #expect(status == .unauthorized)
            #expect(try decode(API.Problem.self, problem).detail.contains("small-order"))
            // Nor can anyone send money where nobody holds the key.
            #expect(try await client.signed(.post, "/v1/faucet", by: alice, body: body).0 == .unprocessableContent)
        }
        #expect(await harness.service.snapshot.ledger.totals.minted == .zero)
    }
}
