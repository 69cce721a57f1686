import Foundation
import Synchronization
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TenderControllerService
import TenderCore

@Suite("dashboard and provider list routes")
struct DashboardRouteTests {

    @Test("GET / serves the dashboard page with a policy that allows nothing from elsewhere")
    func dashboard() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        try await harness.app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let policy = try #require(response.headers[HTTPField.Name("Content-Security-Policy")!])
                #expect(policy.contains("default-src 'none'") && policy.contains("connect-src 'self'"))
                // Only the page's own script runs: it is allowed by its hash, never by 'unsafe-inline'.
                #expect(policy.contains("script-src 'sha256-") && !policy.contains("script-src 'unsafe-inline'"), "\(policy)")
                let page = String(buffer: response.body)
                #expect(page.contains("<title>Tender market</title>"))
                // Everything it reads is an endpoint this controller serves.
                for path in ["/v1/health", "/v1/ledger/supply", "/v1/providers", "/v1/orders", "/v1/leases", "/v1/disputes", "/v1/events"] {
                    #expect(page.contains(path), "the page no longer reads \(path)")
                }
                #expect(!page.contains("http://") && !page.contains("https://"), "the page must not load anything from another origin")
            }
        }
    }

    @Test("GET /v1/providers lists registered providers in account order, page by page, and refuses a bad query")
    func providers() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let signers = (0..<5).map { _ in Signer() }
        let bystander = Signer()
        try await harness.app.test(.router) { client in
            for signer in signers + [bystander] { try await client.fund(signer, credits: 10) }
            for signer in signers {
                let (status, body) = try await client.signed(.put, "/v1/providers/\(signer.account.hex)", by: signer,
                                                          body: Data(ControllerRouteTests.profile.utf8), contentType: "application/yaml")
                #expect(status == .ok, "\(String(decoding: body, as: UTF8.self))")
            }
            var listed: [AccountID] = []
            var after: String?
            repeat {
                let (status, body) = try await client.get("/v1/providers?limit=2" + (after.map { "&after=\($0)" } ?? ""))
                #expect(status == .ok)
                let page = try decode(API.ProviderList.self, body)
                #expect(page.providers.count <= 2)
                #expect(page.providers.allSatisfy { $0.profile != nil })
                listed += page.providers.map(\.account)
                after = page.next?.hex
            } while after != nil
            #expect(listed == signers.map(\.account).sorted(), "every provider once, in account order, and no plain account")
            for query in ["limit=0", "limit=1001", "limit=x", "after=nothex"] {
                #expect(try await client.get("/v1/providers?\(query)").0 == .badRequest, "\(query)")
            }
        }
    }

    @Test("/metrics reads the market at most once a second, and once for scrapes that arrive together")
    func marketMetricsKept() async throws {
        let metrics = RequestMetrics()
        let start = ContinuousClock.now
        let reads = ReadCount()
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        // A read that waits for the gate, so eight scrapes arrive while it runs.
        let read: @Sendable () async -> String = {
            let count = reads.count.withLock { $0 += 1; return $0 }
            for await _ in gate { break }
            return "tender_orders \(count)\n"
        }
        let texts = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { await metrics.marketText(now: start, read: read) } }
            try? await waitUntil("the first read is under way") { reads.count.withLock { $0 } == 1 }
            open.yield()
            open.finish()
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(texts == Array(repeating: "tender_orders 1\n", count: 8))
        #expect(reads.count.withLock { $0 } == 1)
        // Kept until it is a second old, then read again.
        #expect(await metrics.marketText(now: start + .milliseconds(999), read: read) == "tender_orders 1\n")
        #expect(await metrics.marketText(now: start + .seconds(1), read: read) == "tender_orders 2\n")
        #expect(reads.count.withLock { $0 } == 2)
    }
}

/// How many times a test's read ran, shared with the closure that reads.
private final class ReadCount: Sendable {
    let count = Mutex(0)
}
