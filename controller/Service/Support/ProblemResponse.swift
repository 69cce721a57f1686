import Foundation
import Hummingbird
import TenderCore
import TenderStore

/// The one place where every error becomes an HTTP answer: RFC 9457 problem+json.
///
/// Anything not mapped here is a 500 with no internals in the body; the error itself goes to the
/// log. A test that reaches the 500 branch with user input has found a bug.
struct ProblemResponse: HTTPResponseError {
    var problem: API.Problem

    var status: HTTPResponse.Status { HTTPResponse.Status(code: problem.status) }

    init(_ status: HTTPResponse.Status, _ title: String, _ detail: String,
         problems: [ValidationProblem]? = nil, reasons: [API.Problem.Reason]? = nil) {
        problem = API.Problem(title: title, status: status.code, detail: detail, problems: problems, reasons: reasons)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.response(for: problem)
    }

    static func response(for problem: API.Problem) -> Response {
        let data = (try? CanonicalJSON.encode(problem)) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        return Response(status: HTTPResponse.Status(code: problem.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Maps any error a handler threw to a problem.
    static func from(_ error: any Error) -> ProblemResponse? {
        switch error {
        case let problem as ProblemResponse:
            return problem
        case let failure as ValidationFailure:
            return ProblemResponse(.unprocessableContent, "Invalid document", "\(failure.problems.count) problem(s) found", problems: failure.problems)
        case let error as MarketplaceError:
            return from(error)
        case let error as AuthError:
            switch error {
            case .replayed: return ProblemResponse(.conflict, "Replayed nonce", error.description)
            default: return ProblemResponse(.unauthorized, "Unauthorized", error.description)
            }
        case let error as DecodingError:
            return ProblemResponse(.badRequest, "Malformed body", describe(error))
        case let error as HTTPError:
            return ProblemResponse(error.status, error.status.reasonPhrase, error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            return ProblemResponse(.contentTooLarge, "Body too large", "the request body is larger than the controller accepts")
        case let error as any HTTPResponseError:
            return ProblemResponse(error.status, error.status.reasonPhrase, error.status.reasonPhrase)
        case ControllerError.notLeading(let leader):
            let detail = leader.map { "this controller follows a shared database; send writes to the leader at \($0)" }
                ?? "this controller follows a shared database and no controller leads it at the moment; try again shortly"
            return ProblemResponse(.serviceUnavailable, "Not the leader", detail)
        case ControllerError.busy(let title, let detail):
            return ProblemResponse(.serviceUnavailable, title, detail)
        case is StoreError:
            // The database failed a read (a server gone, a refused query): nothing the client
            // sent is at fault, and trying again later may work.
            return ProblemResponse(.serviceUnavailable, "Storage unavailable", "the controller could not read its database; try again shortly")
        case ControllerError.storage:
            return ProblemResponse(
                .serviceUnavailable, "Storage unavailable",
                "the change was not confirmed as saved (it may or may not have been): read the account or the journal before sending it again"
            )
        default:
            return nil
        }
    }

    static func from(_ error: MarketplaceError) -> ProblemResponse {
        switch error {
        case .notFound(let what):
            return ProblemResponse(.notFound, "Not found", "\(what) not found")
        case .staleNonce:
            return ProblemResponse(.conflict, "Replayed nonce", error.description)
        case .futureNonce:
            return ProblemResponse(.unprocessableContent, "Nonce too far ahead", error.description)
        case .unknownAccount:
            return ProblemResponse(.unauthorized, "Unknown account", error.description)
        case .unfunded(let why):
            return ProblemResponse(.forbidden, "Account not funded", why)
        case .quotaExceeded(let why):
            return ProblemResponse(.contentTooLarge, "Artifact quota exceeded", why)
        case .market(.bidDeclined(let reasons)):
            return ProblemResponse(.unprocessableContent, "Bid declined", error.description,
                                   reasons: reasons.map { .init(code: $0.code, message: $0.description) })
        case .market(.notYours(let why)):
            return ProblemResponse(.forbidden, "Forbidden", why)
        case .market(.wrongState(let why)):
            return ProblemResponse(.conflict, "Conflict", why)
        case .market(.invalidMove(let why)):
            return ProblemResponse(.unprocessableContent, "Invalid move", why)
        case .market(.amount(let why)):
            return ProblemResponse(.unprocessableContent, "Invalid amount", why.description)
        case .ledger(let why):
            return ProblemResponse(.conflict, "Refused by the ledger", why.description)
        case .invalid(let why):
            return ProblemResponse(.unprocessableContent, "Invalid request", why)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\(path(context.codingPath + [key]))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at '\(path(context.codingPath))': \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not valid JSON" : "invalid value at '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "the body could not be decoded"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// Turns every thrown error into problem+json, and unknown ones into a bare 500.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            if let problem = ProblemResponse.from(error) { return ProblemResponse.response(for: problem.problem) }
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return ProblemResponse.response(for: API.Problem(title: "Internal error", status: 500, detail: "the controller failed to handle this request"))
        }
    }
}
