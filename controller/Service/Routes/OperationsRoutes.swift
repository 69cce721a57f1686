import Foundation
import HTTPTypes
import Hummingbird
import Prometheus
import TenderCore

/// `/metrics`, the OpenAPI document and the dashboard.
struct OperationsRoutes: Sendable {
    let service: MarketService
    let metrics: RequestMetrics

    func register(on router: RouteTable) {
        router.get("/metrics") { _, _ in
            // The market's numbers are this controller's, read into a registry of their own (a
            // process may run several controllers, and they share the request metrics'
            // registry), at most once a second however often anyone asks, and once for scrapes
            // that arrive together: counting orders and leases by state looks at every one of
            // them, on the actor that serves writes.
            let marketText = await metrics.marketText(now: .now) { await marketMetrics() }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: marketText + metrics.exposition)))
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

    /// The market's gauges and the store's counters, in Prometheus text.
    func marketMetrics() async -> String {
        let market = PrometheusCollectorRegistry()
        await service.read { state in
            for orderState in [Order.State.open, .awarded, .expired, .cancelled] {
                market.gauge("tender_orders", labels: [("state", orderState.rawValue)], help: "Orders that can still change (finished ones are archived), by state.")
                    .set(Double(state.orders.values.filter { $0.state == orderState }.count))
            }
            market.gauge("tender_bids", help: "Bids on orders that can still change.").set(Double(state.orders.values.reduce(0) { $0 + $1.bids.count }))
            for leaseState in [Lease.State.running, .committed, .auditing, .disputed, .settled, .failed, .slashed] {
                market.gauge("tender_leases", labels: [("state", leaseState.rawValue)], help: "Leases of orders that can still change, by state.")
                    .set(Double(state.leases.values.filter { $0.state == leaseState }.count))
            }
            market.gauge("tender_orders_archived", help: "Finished orders, read from the store's archive.")
                .set(Double(Int(state.counters.nextOrder.rawValue) - 1 - state.orders.count))
            market.gauge("tender_leases_archived", help: "Leases of finished orders, read from the store's archive.")
                .set(Double(Int(state.counters.nextLease.rawValue) - 1 - state.leases.count))
            let totals = state.ledger.totals
            let help = "Micro-credits minted, burned, and held in each bucket."
            market.gauge("tender_ledger_micros", labels: [("bucket", "minted")], help: help).set(Double(totals.minted.micros))
            market.gauge("tender_ledger_micros", labels: [("bucket", "burned")], help: help).set(Double(totals.burned.micros))
            for bucket in Bucket.holderBuckets {
                market.gauge("tender_ledger_micros", labels: [("bucket", bucket.rawValue)], help: help)
                    .set(Double(totals.holdings[bucket].micros))
            }
            market.gauge("tender_journal_sequence", help: "The ledger journal's last entry.").set(Double(state.ledger.sequence))
        }
        let writes = service.writerStatistics
        let followed = await service.followed
        let recoveryLoads = await service.recoveryLoads
        let tables = RepeatSignerTables.shared.counters
        market.gauge("tender_signature_tables", help: "Keys with a verification table now (at most \(RepeatSignerTables.shared.capacity)).")
            .set(Double(RepeatSignerTables.shared.count))
        let counters: [(name: String, help: String, value: Int)] = [
            ("tender_store_transactions_total", "Store transactions committed since start.", writes.transactionsCommitted),
            ("tender_store_writes_total", "Records written to the store since start.", writes.itemsCommitted),
            ("tender_store_background_checkpoints_total", "SQLite log checkpoints run off the writer's path since start.",
             writes.backgroundCheckpoints),
            ("tender_store_recovery_loads_total",
             "Loads of the whole market after a failed write since start, shared by the writes that failed together.", recoveryLoads),
            ("tender_store_changes_followed_total", "Changes another controller wrote, taken in since start (PostgreSQL).", followed.updates),
            ("tender_store_reloads_total",
             "Whole reloads a follower made since start, when changes could not be taken as stored (PostgreSQL).", followed.reloads),
            ("tender_store_changes_refused_total",
             "Loads of the shared store refused, to follow or to take the lead, because its journal ends unsigned (PostgreSQL).",
             followed.refusals),
            ("tender_signatures_confirmed_by_table_total",
             "Signatures confirmed through their key's table since start (the rest are checked by swift-crypto alone).", tables.accepted),
            ("tender_signature_tables_built_total", "Tables built for keys seen twice since start.", tables.built),
            ("tender_signature_tables_evicted_total", "Tables evicted to make room since start.", tables.evicted),
        ]
        for counter in counters {
            market.counter(counter.name, help: counter.help).increment(by: Int64(counter.value))
        }
        return market.emitToString()
    }
}

extension PrometheusCollectorRegistry {
    /// A gauge by its full name (every one starts `tender_`), with no unit suffix added.
    func gauge(_ name: String, labels: [(String, String)] = [], help: String) -> Gauge {
        makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    /// A counter by its full name, with no unit suffix added.
    func counter(_ name: String, help: String) -> Counter {
        makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help))
    }
}
