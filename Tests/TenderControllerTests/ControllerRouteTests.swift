import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TenderControllerService
import TenderCore
import TenderStore

@Suite("Controller routes")
struct ControllerRouteTests {
    /// The dataset the tiny manifest names; an order is refused until it is in the store.
    static let dataset = Data("1,2,3,4,0\n5,6,7,8,1\n".utf8)

    static let manifest = """
    version: 1
    name: tiny
    kind: training
    workload: {runtime: mlp-train, dataset: "sha256:\(Hashing.sha256Hex(dataset))", trainRows: 1, layers: [4, 2], steps: 10, batch: 2, learningRate: 0.1, seed: 1, checkpointInterval: 5}
    resources: {cpu: {units: 1}, memory: {size: 1Gi}}
    pricing: {maxPrice: 10, auctionDuration: 30s}
    verification: {collateral: 2, challengeWindow: 60s}
    deadline: 1h
    """

    static let profile = """
    version: 1
    name: box
    inventory: {cpu: {units: 8}, memory: {size: 16Gi}, storage: {size: 100Gi}}
    pricing: {strategy: linear, gpuHour: 0, cpuHour: 0.1}
    stakeTarget: 10
    """

    @Test("health, accounts and the faucet")
    func healthAndFaucet() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer()
        try await harness.app.test(.router) { client in
            let (status, body) = try await client.get("/v1/health")
            #expect(status == .ok)
            #expect(try decode(API.Health.self, body).status == "ok")
            let (minted, view) = try await client.signed(.post, "/v1/faucet", by: alice,
                                                         body: json(API.FaucetRequest(account: alice.account, amount: Amount.credits(50))))
            #expect(minted == .ok)
            #expect(try decode(API.AccountView.self, view).balances.available == (try Amount.credits(50)))
            let (_, account) = try await client.get("/v1/accounts/\(alice.account.hex)")
            #expect(try decode(API.AccountView.self, account).lastNonce > 0)
            #expect(try await client.get("/v1/accounts/nope").0 == .notFound)
        }
    }

    @Test("the faucet is closed without --dev")
    func faucetNeedsDev() async throws {
        let harness = try await ControllerHarness(dev: false)
        defer { harness.cleanUp() }
        let alice = Signer()
        try await harness.app.test(.router) { client in
            let (status, _) = try await client.signed(.post, "/v1/faucet", by: alice,
                                                      body: json(API.FaucetRequest(account: alice.account, amount: Amount.credits(1))))
            #expect(status == .notFound)
        }
    }

    @Test("a whole job over HTTP: order, bids with decline reasons, clearing, heartbeat, commitment, settlement")
    func wholeJob() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let submitter = Signer(), provider = Signer(), stranger = Signer()
        try await harness.app.test(.router) { client in
            for signer in [submitter, provider, stranger] {
                try await client.signed(.post, "/v1/faucet", by: signer, body: json(API.FaucetRequest(account: signer.account, amount: Amount.credits(100))))
            }
            #expect(try await client.signed(.put, "/v1/providers/\(provider.account.hex)", by: provider,
                                             body: Data(Self.profile.utf8), contentType: "application/yaml").0 == .ok)
            #expect(try await client.signed(.put, "/v1/providers/\(provider.account.hex)", by: stranger,
                                             body: Data(Self.profile.utf8), contentType: "application/yaml").0 == .forbidden)
            let (declined, problem) = try await client.signed(.post, "/v1/orders/1/bids", by: provider, body: json(API.BidRequest(price: Amount.credits(3))))
            #expect(declined == .notFound, "\(String(decoding: problem, as: UTF8.self))")

            #expect(try await client.upload(Self.dataset, by: submitter) == .created)
            let (created, orderBody) = try await client.signed(.post, "/v1/orders", by: submitter, body: Data(Self.manifest.utf8), contentType: "application/yaml")
            #expect(created == .created)
            let order = try decode(API.OrderView.self, orderBody).order
            #expect(order.escrow == (try Amount.credits(10)))

            // Without stake the bid is declined with the reason listed.
            let (noStake, reasons) = try await client.signed(.post, "/v1/orders/\(order.id)/bids", by: provider, body: json(API.BidRequest(price: Amount.credits(3))))
            #expect(noStake == .unprocessableContent)
            #expect(try decode(API.Problem.self, reasons).reasons?.map(\.code) == ["stake"])

            #expect(try await client.signed(.post, "/v1/providers/\(provider.account.hex)/stake", by: provider,
                                             body: json(API.AmountRequest(amount: Amount.credits(10)))).0 == .ok)
            #expect(try await client.signed(.post, "/v1/orders/\(order.id)/bids", by: provider,
                                             body: json(API.BidRequest(price: Amount.credits(3)))).0 == .created)

            harness.clock.advance(seconds: 31)
            await MarketClock(service: harness.service, runners: nil, logger: .init(label: "test")).tick()
            let (_, cleared) = try await client.get("/v1/orders/\(order.id)")
            let view = try decode(API.OrderView.self, cleared)
            #expect(view.order.state == .awarded)
            let lease = try #require(view.leases.first)
            #expect(lease.provider == provider.account)

            #expect(try await client.signed(.post, "/v1/leases/\(lease.id)/heartbeat", by: provider,
                                             body: json(API.HeartbeatRequest(step: 5, loss: 0.5))).0 == .ok)
            #expect(try await client.signed(.post, "/v1/leases/\(lease.id)/heartbeat", by: stranger,
                                             body: json(API.HeartbeatRequest(step: 6, loss: nil))).0 == .forbidden)
            // The manifest's schedule: 10 steps, a leaf every 5.
            let hashes = (0..<3).map { Hashing.sha256(Data("state \($0)".utf8)) }
            let claimed = try Commitment(
                lease: lease.id, stateHashes: hashes, totalSteps: 10, checkpointInterval: 5, resultHash: Hashing.sha256(Data("r".utf8))
            )
            let commitment = try Signed(claimed, by: provider.key)
            // The trace must be in the store first: the controller checks the root against it.
            #expect(try await client.signed(.post, "/v1/leases/\(lease.id)/commitment", by: provider, body: json(commitment)).0 == .unprocessableContent)
            #expect(try await client.upload(Commitment.trace(of: hashes), by: provider, lease: lease.id) == .created)
            #expect(try await client.signed(.post, "/v1/leases/\(lease.id)/commitment", by: stranger, body: json(commitment)).0 == .forbidden)
            #expect(try await client.signed(.post, "/v1/leases/\(lease.id)/commitment", by: provider, body: json(commitment)).0 == .ok)

            // The clock reveals the beacon; the audit view shows the secret and a sample anyone can recompute.
            harness.clock.advance(seconds: 1)
            await MarketClock(service: harness.service, runners: nil, logger: .init(label: "test")).tick()
            let (_, auditBody) = try await client.get("/v1/leases/\(lease.id)/audit")
            let audit = try decode(API.AuditView.self, auditBody)
            let secret = try #require(audit.secret)
            let seed = try Beacon.seed(manifestHash: lease.manifestHash, root: claimed.root, secret: secret)
            #expect(audit.seed == Hex.encode(seed))
            #expect(audit.segments == AuditSample.draw(seed: seed, segments: 2, count: lease.samples))
            // The built-in auditor's checks (recorded directly here; the auditor itself runs in the live tests).
            for segment in audit.segments.map(Optional.some) + [nil] {
                let check = AuditCheck(segment: segment, verdict: .passed, detail: "test", at: harness.clock.now)
                try await harness.service.perform { market, now throws(MarketplaceError) in ((), try market.recordAudit(check, lease: lease.id, now: now)) }
            }

            harness.clock.advance(seconds: 61)
            await MarketClock(service: harness.service, runners: nil, logger: .init(label: "test")).tick()
            let (_, settled) = try await client.get("/v1/leases/\(lease.id)")
            let settledView = try decode(API.LeaseView.self, settled)
            #expect(settledView.state == .settled)
            #expect(settledView.timeline.map(\.kind) == [.awarded, .committed, .beaconRevealed, .auditPassed, .settled])
            #expect(settledView.signedCommitment?.payloadJSON == commitment.payloadJSON)
            let (_, account) = try await client.get("/v1/accounts/\(provider.account.hex)")
            #expect(try decode(API.AccountView.self, account).balances.available == (try Amount.parse("99.9")))

            // The journal over HTTP verifies, and the signed head matches it.
            let (_, page) = try await client.get("/v1/ledger/journal?after=0&limit=1000")
            let entries = try decode(API.JournalPage.self, page).entries
            #expect(Ledger.verify(entries).isValid)
            let (_, headBody) = try await client.get("/v1/ledger/head")
            let head = try decode(Signed<API.LedgerHead>.self, headBody).verified()
            #expect(head.hash == entries.last?.hash)
        }
    }

    @Test("unsigned, badly signed, other-account and replayed requests are refused and change nothing")
    func authentication() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer(), mallory = Signer()
        try await harness.app.test(.router) { client in
            try await client.signed(.post, "/v1/faucet", by: alice, body: json(API.FaucetRequest(account: alice.account, amount: Amount.credits(10))))
            let before = await harness.service.snapshot.ledger
            let transfer = try json(API.TransferRequest(to: mallory.account, amount: Amount.credits(5)))

            let unsigned = try await client.execute(uri: "/v1/transfers", method: .post, headers: [.contentType: "application/json"],
                                                    body: ByteBuffer(bytes: transfer)) { $0.status }
            #expect(unsigned == .unauthorized)

            var forged = try alice.headers(method: .post, path: "/v1/transfers", body: Data("{}".utf8))
            forged[.contentType] = "application/json"
            let badSignature = try await client.execute(uri: "/v1/transfers", method: .post, headers: forged, body: ByteBuffer(bytes: transfer)) { $0.status }
            #expect(badSignature == .unauthorized)

            var stolen = try mallory.headers(method: .post, path: "/v1/transfers", body: transfer)
            stolen[HTTPField.Name("Tender-Account")!] = alice.account.hex
            let otherAccount = try await client.execute(uri: "/v1/transfers", method: .post, headers: stolen, body: ByteBuffer(bytes: transfer)) { $0.status }
            #expect(otherAccount == .unauthorized)

            let nonce = Signer.nextNonce()
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer, nonce: nonce).0 == .ok)
            let afterFirst = await harness.service.snapshot.ledger
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer, nonce: nonce).0 == .conflict)
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer, nonce: nonce - 1).0 == .conflict)
            #expect(await harness.service.snapshot.ledger == afterFirst)
            #expect(afterFirst.sequence == before.sequence + 1)
        }
    }

    @Test("bad input gets a problem, never a 500", arguments: [
        ("/v1/transfers", "not json", "application/json", 400),
        ("/v1/transfers", "{\"to\": 5}", "application/json", 400),
        ("/v1/transfers", "{\"to\": \"\(String(repeating: "b", count: 64))\", \"amount\": -5}", "application/json", 400),
        ("/v1/transfers", "{\"to\": \"\(String(repeating: "b", count: 64))\", \"amount\": 99999999999999999999}", "application/json", 400),
        ("/v1/transfers", "{}", "text/html", 415),
        ("/v1/orders", "kind: [", "application/yaml", 422),
        ("/v1/orders", "name: x", "application/yaml", 422),
        ("/v1/orders/abc/bids", "{\"price\": 1}", "application/json", 404),
        ("/v1/orders/99999999999999999999999/cancel", "", "application/json", 404),
        ("/v1/leases/7/heartbeat", "{\"step\": 1}", "application/json", 404),
    ])
    func badInput(path: String, body: String, contentType: String, expected: Int) async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let sender = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(sender)
            let (status, problem) = try await client.signed(.post, path, by: sender, body: Data(body.utf8), contentType: contentType)
            #expect(status.code == expected, "\(String(decoding: problem, as: UTF8.self))")
            #expect(try decode(API.Problem.self, problem).status == expected)
        }
    }

    @Test("artifacts are stored by hash; a body whose hash differs is refused")
    func artifacts() async throws {
        let harness = try await ControllerHarness(maxBodyBytes: 4_096)
        defer { harness.cleanUp() }
        let alice = Signer()
        let data = Data("hello, tender".utf8)
        let hash = Hashing.sha256Hex(data)
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            #expect(try await client.signed(.put, "/v1/artifacts/\(hash)", by: alice, body: data, contentType: "application/octet-stream").0 == .created)
            let (status, fetched) = try await client.artifact(hash, by: alice)
            #expect(status == .ok && fetched == data)
            let wrong = String(repeating: "0", count: 64)
            // The path's hash is what the signature is checked against before the body is read:
            // a body with another hash is refused at its headers.
            let (refused, problem) = try await client.signed(.put, "/v1/artifacts/\(wrong)", by: alice, body: data, contentType: "application/octet-stream")
            #expect(refused == .unauthorized)
            #expect(String(decoding: problem, as: UTF8.self).contains("the SHA-256 the path names"))
            #expect(try await client.artifact(wrong, by: alice).0 == .notFound)
            #expect(try await client.get("/v1/artifacts/not-a-hash").0 == .notFound)
            let huge = Data(count: 10_000)
            #expect(try await client.signed(.put, "/v1/artifacts/\(Hashing.sha256Hex(huge))", by: alice, body: huge,
                                             contentType: "application/octet-stream").0 == .contentTooLarge)
        }
    }

    @Test("metrics and the OpenAPI document are served, and the document names every route")
    func operations() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        try await harness.app.test(.router) { client in
            _ = try await client.get("/v1/health")
            _ = try await client.get("/v1/orders/999")
            let (status, metrics) = try await client.get("/metrics")
            #expect(status == .ok)
            let text = String(decoding: metrics, as: UTF8.self)
            #expect(text.contains("tender_orders{state=\"open\"} 0"))
            // Hummingbird's request metrics, through swift-metrics into the Prometheus registry, by route template.
            #expect(text.contains(#"tender_http_requests_total{route="/v1/health",method="GET",status="200"}"#), "\(text)")
            #expect(text.contains(#"tender_http_requests_total{route="/v1/orders/{id}",method="GET",status="404"}"#))
            #expect(text.contains(#"tender_http_request_duration_seconds_bucket{route="/v1/health",method="GET",status="200",le="0.005"}"#))
            #expect(text.contains("# TYPE tender_referee_steps_total counter"))
            #expect(text.contains("# TYPE tender_ledger_micros gauge"))
            #expect(text.contains("# TYPE tender_signature_tables gauge"))
            for counter in ["tender_store_background_checkpoints_total", "tender_store_recovery_loads_total", "tender_store_changes_followed_total",
                            "tender_store_reloads_total", "tender_store_changes_refused_total", "tender_signatures_confirmed_by_table_total",
                            "tender_signature_tables_built_total", "tender_signature_tables_evicted_total"] {
                #expect(text.contains("# TYPE \(counter) counter"), "\(counter)")
            }
            #expect(!text.contains("hb_") && !text.contains("http_server"), "every metric carries a tender_ name")
            let (ok, body) = try await client.get("/v1/openapi.json")
            #expect(ok == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            let served = try ControllerApplication.routeTable(
                service: harness.service,
                settings: ControllerSettings(dev: true, maxBodyBytes: 1 << 20, artifactsDirectory: harness.directory.appendingPathComponent("a2")),
                metrics: RequestMetrics()
            ).entries
            #expect(documented == served)
        }
    }
}
