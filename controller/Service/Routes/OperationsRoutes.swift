import Foundation
import HTTPTypes
import Hummingbird
import TenderCore

/// `/metrics`, the OpenAPI document and the dashboard.
struct OperationsRoutes: Sendable {
    let service: MarketService
    let metrics: RequestMetrics

    func register(on router: RouteTable) {
        router.get("/metrics") { _, _ in
            // The market's gauges are set from the market as it is now, then the registry is
            // served whole: these beside the request and referee metrics recorded as they happen.
            let gauges = await service.read { market in
                var gauges: [(name: String, labels: [(String, String)], help: String, value: Int64)] = []
                for state in [Order.State.open, .awarded, .expired, .cancelled] {
                    gauges.append(("tender_orders", [("state", state.rawValue)], "Orders by state.", Int64(market.orders.values.filter { $0.state == state }.count)))
                }
                gauges.append(("tender_bids", [], "Bids on all orders.", Int64(market.orders.values.reduce(0) { $0 + $1.bids.count })))
                for state in [Lease.State.running, .committed, .auditing, .disputed, .settled, .failed, .slashed] {
                    gauges.append(("tender_leases", [("state", state.rawValue)], "Leases by state.", Int64(market.leases.values.filter { $0.state == state }.count)))
                }
                let totals = market.ledger.totals
                let help = "Micro-credits minted, burned, and held in each bucket."
                gauges.append(("tender_ledger_micros", [("bucket", "minted")], help, totals.minted.micros))
                gauges.append(("tender_ledger_micros", [("bucket", "burned")], help, totals.burned.micros))
                for bucket in Bucket.holderBuckets {
                    gauges.append(("tender_ledger_micros", [("bucket", bucket.rawValue)], help, totals.holdings[bucket].micros))
                }
                gauges.append(("tender_journal_sequence", [], "The ledger journal's last entry.", Int64(market.ledger.sequence)))
                return gauges
            }
            for gauge in gauges { metrics.gauge(gauge.name, gauge.labels, help: gauge.help, gauge.value) }
            let writes = service.writerStatistics
            metrics.counter("tender_store_transactions_total", help: "Store transactions committed.", total: writes.transactionsCommitted)
            metrics.counter("tender_store_writes_total", help: "Records written to the store.", total: writes.itemsCommitted)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.exposition)))
        }
        // The dashboard: one self-contained page that reads the public GET endpoints and follows
        // /v1/events. Its one inline script is allowed by its hash, so nothing else can run even
        // if a value were ever drawn unescaped; nothing loads from another origin.
        let dashboard = Self.dashboard()
        router.get("/") { _, _ in
            guard let dashboard else {
                throw ProblemResponse(.notFound, "Not found", "the dashboard is missing from this build")
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            headers[HTTPField.Name("Content-Security-Policy")!] = dashboard.policy
            headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: dashboard.page)))
        }
        router.get("/v1/openapi.json") { _, _ in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = FileManager.default.contents(atPath: url.path) else {
                throw ProblemResponse(.notFound, "Not found", "the OpenAPI document is missing from this build")
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    /// The page and its Content-Security-Policy, with the hash of its inline script.
    static func dashboard() -> (page: Data, policy: String)? {
        guard let url = Bundle.module.url(forResource: "dashboard", withExtension: "html"),
              let page = FileManager.default.contents(atPath: url.path) else { return nil }
        let text = String(decoding: page, as: UTF8.self)
        var scripts: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "<script>"), let close = rest.range(of: "</script>", range: open.upperBound..<rest.endIndex) {
            scripts.append("'sha256-\(Hashing.sha256(Data(rest[open.upperBound..<close.lowerBound].utf8)).base64EncodedString())'")
            rest = rest[close.upperBound...]
        }
        let scriptSource = scripts.isEmpty ? "'none'" : scripts.joined(separator: " ")
        let policy = "default-src 'none'; script-src \(scriptSource); style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        return (page, policy)
    }
}
