import Foundation
import Hummingbird
import Synchronization

/// Request counts and a latency histogram for `/metrics`, kept in process.
public final class RequestMetrics: Sendable {
    /// Histogram bucket upper bounds, in seconds.
    static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    private struct State {
        var buckets = [Int](repeating: 0, count: RequestMetrics.bounds.count)
        var count = 0
        var sum = 0.0
        var byStatus: [Int: Int] = [:]
    }

    private let state = Mutex(State())
    /// The dispute referee's steps and rulings.
    public let referee = RefereeCounter()

    public init() {}

    func record(seconds: Double, status: Int) {
        state.withLock { state in
            for (index, bound) in Self.bounds.enumerated() where seconds <= bound { state.buckets[index] += 1 }
            state.count += 1
            state.sum += seconds
            state.byStatus[status, default: 0] += 1
        }
    }

    func middleware<Context: RequestContext>() -> some RouterMiddleware<Context> {
        MetricsRecorder<Context>(metrics: self)
    }

    /// The histogram and counters in Prometheus text format.
    var prometheusText: String {
        state.withLock { state in
            var lines = ["# HELP tender_http_request_duration_seconds Request latency.",
                         "# TYPE tender_http_request_duration_seconds histogram"]
            for (index, bound) in Self.bounds.enumerated() {
                lines.append("tender_http_request_duration_seconds_bucket{le=\"\(bound)\"} \(state.buckets[index])")
            }
            lines.append("tender_http_request_duration_seconds_bucket{le=\"+Inf\"} \(state.count)")
            lines.append("tender_http_request_duration_seconds_sum \(state.sum)")
            lines.append("tender_http_request_duration_seconds_count \(state.count)")
            lines.append("# TYPE tender_http_responses_total counter")
            for (status, count) in state.byStatus.sorted(by: { $0.key < $1.key }) {
                lines.append("tender_http_responses_total{status=\"\(status)\"} \(count)")
            }
            lines.append("# HELP tender_referee_steps_total Steps the dispute referee executed.")
            lines.append("# TYPE tender_referee_steps_total counter")
            lines.append("tender_referee_steps_total \(referee.steps)")
            lines.append("# HELP tender_referee_rulings_total Disputes the referee ruled on by executing a step.")
            lines.append("# TYPE tender_referee_rulings_total counter")
            lines.append("tender_referee_rulings_total \(referee.rulings)")
            return lines.joined(separator: "\n")
        }
    }
}

struct MetricsRecorder<Context: RequestContext>: RouterMiddleware {
    let metrics: RequestMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics.record(seconds: seconds, status: response.status.code)
        return response
    }
}
