import HTTPTypes
import Hummingbird
import TenderCore

/// On a controller that follows a shared database, sends what only the leader may handle to the
/// leader: every write, every signed request (a signed read spends a nonce, which is a write) and
/// the event stream (events are the leader's changes as it makes them). Unsigned reads are
/// answered here from the follower's copy of the market.
///
/// Writes and signed requests get `421 Misdirected Request` naming the same path on the leader's
/// advertised URL (`Tender-Leader`, and `Location`); the client re-sends the same bytes there, and
/// since the signature covers neither host nor port the request verifies as sent. The event
/// stream gets a `307 Temporary Redirect`, which any client follows. With no leader known (a failover in progress) the answer is 503 with
/// `Retry-After: 1`. An unsigned read of something this follower does not know yet (a 404: the
/// record was written a moment ago) is sent to the leader too.
struct LeaderRedirect<Context: RequestContext>: RouterMiddleware {
    let service: MarketService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !service.isLeading else { return try await next(request, context) }
        guard !Self.needsLeader(request) else { return Self.sendToLeader(request, at: service.leaderURL) }
        // A record this follower has not seen yet (it was written a moment ago): the leader has it.
        do {
            let response = try await next(request, context)
            if response.status == .notFound, let leader = service.leaderURL { return Self.redirect(request, to: leader) }
            return response
        } catch {
            if ProblemResponse.from(error)?.status == .notFound, let leader = service.leaderURL { return Self.redirect(request, to: leader) }
            throw error
        }
    }

    static func needsLeader(_ request: Request) -> Bool {
        if request.method != .get && request.method != .head { return true }
        let signature = RequestSignature.signatureHeader.lowercased()
        if request.headers.contains(where: { $0.name.canonicalName == signature }) { return true }
        return request.uri.path == "/v1/events"
    }

    /// Writes and signed requests: `421 Misdirected Request` naming the leader (`Tender-Leader`,
    /// and `Location`). Not a 3xx: an HTTP library that follows redirects by itself may re-send
    /// them without their body or signature, so the client re-sends them itself. The event
    /// stream, an unsigned GET, is a 307 any client follows.
    static func sendToLeader(_ request: Request, at leader: String?) -> Response {
        guard request.uri.path != "/v1/events" else { return redirect(request, to: leader) }
        var response = redirect(request, to: leader)
        guard response.status == .temporaryRedirect else { return response }
        response.status = .misdirectedRequest
        if let location = response.headers[.location], let name = HTTPField.Name(leaderHeader) {
            response.headers[name] = location
        }
        return response
    }

    /// The header naming where a misdirected write should go.
    static var leaderHeader: String { "Tender-Leader" }

    static func redirect(_ request: Request, to leader: String?) -> Response {
        guard let leader, !leader.isEmpty else {
            var response = ProblemResponse.response(for: API.Problem(
                title: "No leader", status: 503,
                detail: "this controller follows a shared database and no controller leads it at the moment; try again shortly"
            ))
            response.headers[.retryAfter] = "1"
            return response
        }
        let base = leader.hasSuffix("/") ? String(leader.dropLast()) : leader
        var headers = HTTPFields()
        headers[.location] = base + request.uri.description
        return Response(status: .temporaryRedirect, headers: headers)
    }
}
