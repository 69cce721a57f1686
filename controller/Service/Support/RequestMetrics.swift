import CoreMetrics
import Foundation
import Hummingbird
import Metrics
import Prometheus
import Synchronization

/// The controller's metrics through swift-metrics, kept in a Prometheus registry and served at
/// `/metrics`: Hummingbird's request metrics (count, latency histogram, errors, requests in
/// flight, each by route, method and status) and the referee's work. The market's own numbers are
/// read from the market at each scrape, into a registry of the scrape's own (`/metrics`).
///
/// swift-metrics has one factory per process, and Hummingbird's middleware records through it;
/// so there is one registry per process too, bootstrapped once, shared by every controller the
/// process runs (tests run several).
public final class RequestMetrics: Sendable {
    /// Histogram bucket upper bounds, in seconds: a write is a few milliseconds.
    static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    /// Hummingbird's metric names and labels, as Tender's `/metrics` has always named them.
    static let names = [
        "http.server.request.duration": "tender_http_request_duration_seconds",
        "hb.requests": "tender_http_requests_total",
        "hb.request.errors": "tender_http_request_errors_total",
        "http.server.active_requests": "tender_http_active_requests",
    ]
    static let labels = [
        "http.route": "route", "http.request.method": "method", "http.response.status_code": "status", "error.type": "status",
    ]

    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = bounds.map { .nanoseconds(Int64(($0 * 1e9).rounded())) }
        factory.nameAndLabelSanitizer = { name, dimensions in
            (names[name] ?? name, dimensions.map { (labels[$0.0] ?? $0.0, $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// The dispute referee's steps and rulings.
    public let referee: RefereeCounter

    public init() {
        // The factory first: a metric made before it records nowhere.
        _ = Self.registry
        referee = RefereeCounter()
    }

    func middleware<Context: RequestContext>() -> some RouterMiddleware<Context> {
        MetricsMiddleware<Context>()
    }

    /// The market's metrics as last read, and when; and the read under way, if one is.
    private let marketText = Mutex(MarketText())
    static let marketTextLifetime = Duration.seconds(1)

    private struct MarketText {
        var kept: (text: String, at: ContinuousClock.Instant)?
        var reading: Task<String, Never>?
    }

    /// The market's metrics in Prometheus text: as kept when read less than a second before `now`,
    /// else from the read already under way, else from a new `read`. So the market is read at
    /// most once a second, and once however many scrapes arrive together.
    func marketText(now: ContinuousClock.Instant, read: @escaping @Sendable () async -> String) async -> String {
        enum Source { case kept(String), reading(Task<String, Never>) }
        let source = marketText.withLock { state -> Source in
            if let kept = state.kept, now - kept.at < Self.marketTextLifetime { return .kept(kept.text) }
            if let reading = state.reading { return .reading(reading) }
            let reading = Task { await read() }
            state.reading = reading
            return .reading(reading)
        }
        switch source {
        case .kept(let text):
            return text
        case .reading(let reading):
            let text = await reading.value
            marketText.withLock { state in
                guard state.reading == reading else { return }
                state.reading = nil
                state.kept = (text, now)
            }
            return text
        }
    }

    /// Everything in the registry, in Prometheus text format.
    var exposition: String {
        Self.registry.emitToString()
    }
}
