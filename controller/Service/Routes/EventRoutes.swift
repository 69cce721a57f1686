import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import TenderCore

/// `GET /v1/events`: the market's events as server-sent events (`EventHub`).
struct EventRoutes {
    let service: MarketService

    func register(on router: RouteTable) {
        router.get("/v1/events") { request, _ in
            let after = try Self.resumePoint(request)
            let sequence = await service.read { $0.ledger.sequence }
            guard let stream = service.events.subscribe(after: after, ledgerSequence: sequence) else {
                throw ProblemResponse(.serviceUnavailable, "Too many followers", "the controller serves at most \(service.events.maximumSubscribers) event streams at once; try again later")
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                // Ends when the follower hangs up (the write throws), falls too far behind, or the
                // controller shuts down, which must not wait for streams that never end by themselves.
                let hub = service.events
                try await withGracefulShutdownHandler {
                    for await text in stream {
                        try await writer.write(ByteBuffer(bytes: text))
                    }
                } onGracefulShutdown: {
                    hub.finishAll()
                }
                try await writer.finish(nil)
            })
        }
    }

    /// `?after=ID`, or the `Last-Event-ID` header an `EventSource` sends when it reconnects.
    static func resumePoint(_ request: Request) throws -> UInt64? {
        let text = request.uri.queryParameters["after"].map(String.init) ?? request.headers[HTTPField.Name("Last-Event-ID")!]
        guard let text else { return nil }
        guard let id = UInt64(text) else {
            throw ProblemResponse(.badRequest, "Bad query", "after (or Last-Event-ID) must be an event id, a whole number")
        }
        return id
    }
}
