import TenderCore

/// Why a call to the controller did not return the value asked for.
///
/// Every failure of `TenderAPIClient` is one of these: a transport failure, a problem the controller
/// reported, or an answer this client cannot read. None of them traps, whatever the server sends.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No HTTP answer at all: connection refused, timed out, host not found.
    case unreachable(controller: String, reason: String)
    /// The controller answered with an error status and RFC 9457 problem details.
    case api(status: Int, problem: API.Problem)
    /// The controller answered something this client cannot read: a bad status, body or hash.
    case unexpectedResponse(status: Int, reason: String)
    /// A signed request was asked of a client that holds no key.
    case missingKey(request: String)
    /// The controller URL cannot address a controller.
    case badControllerURL(String)
    /// The request could not be encoded or signed.
    case badRequest(String)

    /// The HTTP status the controller answered with, when it answered.
    public var status: Int? {
        switch self {
        case .api(let status, _), .unexpectedResponse(let status, _): status
        case .unreachable, .missingKey, .badControllerURL, .badRequest: nil
        }
    }

    /// The controller's problem details, for `.api`.
    public var problem: API.Problem? {
        if case .api(_, let problem) = self { return problem }
        return nil
    }

    /// True when the caller's input is at fault (a 400, 404, 413 or 422, a missing key, a bad URL),
    /// which the CLI reports with exit code 2 rather than 1.
    public var isUserInput: Bool {
        switch self {
        case .api(let status, _): [400, 404, 413, 422].contains(status)
        case .missingKey, .badControllerURL: true
        case .unreachable, .unexpectedResponse, .badRequest: false
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let controller, let reason) where reason == "connection refused" || reason == "host not found":
            return "cannot reach the controller at \(controller) (\(reason)): is it running? "
                + "Start one with: tender-controller serve --dev"
        case .unreachable(let controller, let reason):
            // The request may have arrived: a write that got no answer may still have happened.
            return "no answer from the controller at \(controller) (\(reason)); a change sent may or may not have "
                + "been made: check (tender ledger balance, tender job status) before sending it again"
        case .api(let status, let problem):
            var lines = [problem.detail.isEmpty ? "\(problem.title) (HTTP \(status))" : "\(problem.detail) (HTTP \(status) \(problem.title))"]
            lines += (problem.problems ?? []).map { "  \($0)" }
            lines += (problem.reasons ?? []).map { "  \($0.code): \($0.message)" }
            return lines.joined(separator: "\n")
        case .unexpectedResponse(let status, let reason):
            return "unexpected answer from the controller (HTTP \(status)): \(reason)"
        case .missingKey(let request):
            return "\(request) must be signed: pass --key NAME or set TENDER_KEY (create a key with: tender keys create NAME)"
        case .badControllerURL(let text):
            return "'\(text)' is not a controller URL: write it like http://127.0.0.1:8080"
        case .badRequest(let reason):
            return "could not build the request: \(reason)"
        }
    }
}
