import Foundation
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

    @Test("/metrics reads the market at most once a second: a text kept is served until it is a second old")
    func marketMetricsKept() {
        let metrics = RequestMetrics()
        let start = ContinuousClock.now
        #expect(metrics.recentMarketText(now: start) == nil)
        metrics.keepMarketText("tender_orders 1\n", now: start)
        #expect(metrics.recentMarketText(now: start + .milliseconds(999)) == "tender_orders 1\n")
        #expect(metrics.recentMarketText(now: start + .seconds(1)) == nil)
    }
}
