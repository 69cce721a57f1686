import Hummingbird

/// Registers routes on the router and remembers them, so a test can hold the OpenAPI document
/// against exactly what is served.
final class RouteTable {
    let router: Router<BasicRequestContext>
    /// `METHOD /path/{param}` for every route, in OpenAPI's path notation.
    private(set) var entries: Set<String> = []

    init(router: Router<BasicRequestContext>) {
        self.router = router
    }

    typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

    func get(_ path: String, _ handler: @escaping Handler) { add(.get, path, handler) }
    func post(_ path: String, _ handler: @escaping Handler) { add(.post, path, handler) }
    func put(_ path: String, _ handler: @escaping Handler) { add(.put, path, handler) }

    private func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        router.on(RouterPath(path), method: method, use: handler)
        let openAPIPath = path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
        entries.insert("\(method.rawValue) \(openAPIPath)")
    }
}
