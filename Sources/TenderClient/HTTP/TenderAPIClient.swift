import Foundation
import Synchronization
import TenderCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A typed client for the controller's `/v1` HTTP API, used by the CLI, the agent and challengers.
///
/// Reads are plain `GET`s, but for artifacts, which a client with a key reads with a signed `GET`
/// (docs/REQUESTS.md). Every mutating call is signed with the client's key (DESIGN section 3):
/// `Tender-Account`, `Tender-Nonce` and `Tender-Signature` over
/// `RequestSignature.signingBytes(method:pathWithQuery:nonce:body:)`, where the path is the request
/// target exactly as sent, base-URL prefix and query included. Nonces come from a process-wide
/// `NonceClock`, so concurrent calls never reuse one.
///
/// Every failure is a `ClientError`; a malformed answer is reported, never trapped on.
public struct TenderAPIClient: Sendable {
    /// `http://127.0.0.1:8080`, where `tender-controller serve` listens by default.
    public static let defaultBaseURL = URL(string: "http://127.0.0.1:8080")!

    /// The controller, e.g. `http://127.0.0.1:8080`. A path prefix is kept in front of every route.
    public let baseURL: URL
    /// The key that signs mutating calls; nil for a read-only client.
    public let key: KeyPair?
    /// Seconds a request may wait for the controller before it counts as unreachable.
    public let timeout: TimeInterval

    private let session: URLSession
    private let nonces: NonceClock
    /// `baseURL` without a trailing slash: the request URL is this plus the path and query.
    private let base: String
    /// The base URL's path without a trailing slash: the request target is this plus the path and query.
    private let basePath: String

    /// A client for the controller at `baseURL`, signing with `key` when it has one.
    public init(
        baseURL: URL = TenderAPIClient.defaultBaseURL, key: KeyPair? = nil, timeout: TimeInterval = 30,
        session: URLSession? = nil, nonces: NonceClock = .shared
    ) throws(ClientError) {
        guard let components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty,
              components.query == nil, components.fragment == nil else {
            throw .badControllerURL(baseURL.absoluteString)
        }
        self.baseURL = baseURL
        self.key = key
        self.timeout = timeout
        self.session = session ?? Self.session(timeout: timeout)
        self.nonces = nonces
        self.base = Self.trimmingTrailingSlashes(baseURL.absoluteString)
        self.basePath = Self.trimmingTrailingSlashes(components.percentEncodedPath)
    }

    /// A client for the controller at `controller`, a URL written like `http://127.0.0.1:8080`.
    public init(controller: String, key: KeyPair? = nil, timeout: TimeInterval = 30) throws(ClientError) {
        guard let url = URL(string: controller.trimmingCharacters(in: .whitespaces)) else {
            throw .badControllerURL(controller)
        }
        try self.init(baseURL: url, key: key, timeout: timeout)
    }

    /// The account that signs this client's writes.
    public var account: AccountID? { key?.account }

    /// The same client signing with another key.
    public func signing(with key: KeyPair?) -> TenderAPIClient {
        // Cannot fail: the base URL was already accepted.
        (try? TenderAPIClient(baseURL: baseURL, key: key, timeout: timeout, session: session, nonces: nonces)) ?? self
    }

    /// A shared ephemeral session with caching off and the given timeout, one per distinct timeout.
    ///
    /// Caching is off because a polled order must never be answered from a cache. The timeout is set
    /// on the session as well as on each request because FoundationNetworking on Linux honours only
    /// the session's.
    public static func session(timeout: TimeInterval) -> URLSession {
        sessions.withLock { sessions in
            if let session = sessions[timeout] { return session }
            let configuration = URLSessionConfiguration.ephemeral
            configuration.urlCache = nil
            configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
            configuration.timeoutIntervalForRequest = timeout
            let session = URLSession(configuration: configuration)
            sessions[timeout] = session
            return session
        }
    }

    private static let sessions = Mutex<[TimeInterval: URLSession]>([:])
    /// How many times a request is re-sent where a follower says the leader is (421, Tender-Leader).
    static let maximumRedirects = 3

    // MARK: - Requests

    /// The request target as sent on the wire: the base URL's path, then the route's path and query.
    public func target(for request: APIRequest) -> String {
        basePath + request.pathWithQuery
    }

    /// The URL request for `request`, signed with a fresh nonce if it is a signed request.
    public func urlRequest(for request: APIRequest) throws(ClientError) -> URLRequest {
        guard let url = URL(string: base + request.pathWithQuery) else {
            throw .badRequest("'\(request.pathWithQuery)' does not make a URL with \(base)")
        }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method.rawValue
        urlRequest.setValue("application/json, application/problem+json", forHTTPHeaderField: "Accept")
        if !request.body.isEmpty {
            urlRequest.httpBody = request.body
        }
        if let contentType = request.contentType {
            urlRequest.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        if request.isSigned {
            guard let key else { throw .missingKey(request: "\(request.method.rawValue) \(request.pathWithQuery)") }
            let signature: RequestSignature
            do {
                signature = try RequestSignature.sign(
                    method: request.method.rawValue, pathWithQuery: target(for: request),
                    nonce: nonces.next(), body: request.body, with: key
                )
            } catch {
                throw .badRequest("cannot sign: \(error)")
            }
            for header in signature.headers {
                urlRequest.setValue(header.value, forHTTPHeaderField: header.name)
            }
        }
        return urlRequest
    }

    /// Sends `request` and returns the answer whatever its status; throws only when there is none.
    ///
    /// A signed request refused for a stale nonce (409) is sent again, up to twice, with a nonce
    /// above the account's last accepted one: another process signing for the same account (the
    /// agent and the CLI sharing a key), or a concurrent request of this one that arrived first,
    /// can take a nonce first. A nonce refused as stale was never accepted and changed nothing, so
    /// sending the request again is safe.
    public func send(_ request: APIRequest) async throws(ClientError) -> APIResponse {
        var response = try await sendOnce(request)
        for _ in 0..<2 {
            guard request.isSigned, response.status == 409, Self.isNonceProblem(response), let account else { return response }
            if let view = try? await call(.get("/v1/accounts/\(account.hex)"), as: API.AccountView.self) {
                nonces.advance(past: view.lastNonce)
            }
            response = try await sendOnce(request)
        }
        return response
    }

    /// True for a 409 whose problem names the nonce.
    static func isNonceProblem(_ response: APIResponse) -> Bool {
        guard let problem = response.error.problem else { return false }
        return [problem.type, problem.title, problem.detail].contains { $0.lowercased().contains("nonce") }
    }

    private func sendOnce(_ request: APIRequest) async throws(ClientError) -> APIResponse {
        var urlRequest = try urlRequest(for: request)
        var response = try await transmit(urlRequest)
        // A follower of a shared database sends writes and signed requests to its leader (421 with
        // Tender-Leader, so that no HTTP library re-sends them by itself without their body or
        // signature): the same bytes go there.
        for _ in 0..<Self.maximumRedirects {
            guard response.status == 421, let location = response.headers["tender-leader"],
                  let next = URL(string: location, relativeTo: urlRequest.url)?.absoluteURL,
                  // Never from https to plain http: the signed request would cross the network in clear.
                  !(urlRequest.url?.scheme == "https" && next.scheme != "https") else { break }
            urlRequest.url = next
            response = try await transmit(urlRequest)
        }
        return response
    }

    private func transmit(_ urlRequest: URLRequest) async throws(ClientError) -> APIResponse {
        let data: Data
        let response: URLResponse
        // The request runs in a task of its own that no cancellation reaches: on Linux,
        // FoundationNetworking can deadlock when a task is cancelled while the session resumes it
        // (the cancel handler waits on the session's queue, which waits on the task's status lock).
        // A cancelled caller gets its answer, or the timeout, a moment later instead.
        let session = self.session
        do {
            (data, response) = try await Task { try await session.data(for: urlRequest) }.value
        } catch {
            throw unreachable(error, at: urlRequest.url)
        }
        guard let http = response as? HTTPURLResponse else {
            throw .unexpectedResponse(status: 0, reason: "not an HTTP response")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return APIResponse(status: http.statusCode, headers: headers, body: data)
    }

    /// Sends `request` and decodes a successful answer as `T`; an error status becomes its problem.
    public func call<T: Decodable>(_ request: APIRequest, as type: T.Type = T.self) async throws(ClientError) -> T {
        let response = try await send(request)
        guard response.isSuccess else { throw response.error }
        return try response.decode(T.self)
    }

    /// Sends `request` and returns the raw body of a successful answer.
    public func callForData(_ request: APIRequest) async throws(ClientError) -> Data {
        let response = try await send(request)
        guard response.isSuccess else { throw response.error }
        return response.body
    }

    /// The key a signed call needs, or `.missingKey`.
    func requireAccount(for what: String) throws(ClientError) -> AccountID {
        guard let key else { throw .missingKey(request: what) }
        return key.account
    }

    // MARK: - Transport errors

    private func unreachable(_ error: any Error, at url: URL? = nil) -> ClientError {
        let reason: String
        if let urlError = error as? URLError {
            switch urlError.code {
            case .cannotConnectToHost: reason = "connection refused"
            case .timedOut: reason = "no answer within \(Int(timeout))s"
            case .cannotFindHost, .dnsLookupFailed: reason = "host not found"
            case .networkConnectionLost: reason = "the connection was lost"
            case .notConnectedToInternet: reason = "no network"
            case .cancelled: reason = "cancelled"
            case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
                 .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
                reason = "TLS failed"
            default: reason = urlError.localizedDescription
            }
        } else {
            reason = "\(error)"
        }
        // The controller actually tried: after a follower's redirect, the leader.
        var controller = base
        if let url, !url.absoluteString.hasPrefix(base), let scheme = url.scheme, let host = url.host {
            controller = "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
        }
        return .unreachable(controller: controller, reason: reason)
    }

    private static func trimmingTrailingSlashes(_ text: String) -> String {
        var text = Substring(text)
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
