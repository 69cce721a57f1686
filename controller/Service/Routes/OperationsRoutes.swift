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
            var lines = await service.read { market in
                var lines: [String] = []
                lines.append("# TYPE tender_orders gauge")
                for state in [Order.State.open, .awarded, .expired, .cancelled] {
                    lines.append("tender_orders{state=\"\(state.rawValue)\"} \(market.orders.values.filter { $0.state == state }.count)")
                }
                lines.append("# TYPE tender_bids gauge")
                lines.append("tender_bids \(market.orders.values.reduce(0) { $0 + $1.bids.count })")
                lines.append("# TYPE tender_leases gauge")
                for state in [Lease.State.running, .committed, .settled, .failed, .slashed] {
                    lines.append("tender_leases{state=\"\(state.rawValue)\"} \(market.leases.values.filter { $0.state == state }.count)")
                }
                let totals = market.ledger.totals
                lines.append("# TYPE tender_ledger_micros gauge")
                lines.append("tender_ledger_micros{bucket=\"minted\"} \(totals.minted.micros)")
                lines.append("tender_ledger_micros{bucket=\"burned\"} \(totals.burned.micros)")
                for bucket in Bucket.holderBuckets {
                    lines.append("tender_ledger_micros{bucket=\"\(bucket.rawValue)\"} \(totals.holdings[bucket].micros)")
                }
                lines.append("# TYPE tender_journal_sequence gauge")
                lines.append("tender_journal_sequence \(market.ledger.sequence)")
                return lines
            }
            let writes = service.writerStatistics
            lines.append("# TYPE tender_store_transactions_total counter")
            lines.append("tender_store_transactions_total \(writes.transactionsCommitted)")
            lines.append("# TYPE tender_store_writes_total counter")
            lines.append("tender_store_writes_total \(writes.itemsCommitted)")
            lines.append(metrics.prometheusText)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n") + "\n")))
        }
        // The dashboard: one self-contained page that reads the public GET endpoints and follows
        // /v1/events. Inline script and style only, nothing from another origin.
        router.get("/") { _, _ in
            guard let url = Bundle.module.url(forResource: "dashboard", withExtension: "html"), let data = FileManager.default.contents(atPath: url.path) else {
                throw ProblemResponse(.notFound, "Not found", "the dashboard is missing from this build")
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            headers[HTTPField.Name("Content-Security-Policy")!] =
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
            headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
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
}
