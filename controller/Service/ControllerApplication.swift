import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TenderCore
import TenderStore
import TenderWorkloads

/// Builds the controller: its router, its services and the application that runs them.
public enum ControllerApplication {
    /// The router with every `/v1` route, `/metrics` and the OpenAPI document.
    public static func router(
        service: MarketService, database: TenderDatabase, settings: ControllerSettings, metrics: RequestMetrics
    ) throws -> Router<BasicRequestContext> {
        try routeTable(service: service, database: database, settings: settings, metrics: metrics).router
    }

    static func routeTable(
        service: MarketService, database: TenderDatabase, settings: ControllerSettings, metrics: RequestMetrics
    ) throws -> RouteTable {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: metrics.middleware())
        router.add(middleware: ProblemMiddleware())
        let routes = RouteTable(router: router)
        let artifacts = try ArtifactStore(directory: settings.artifactsDirectory)
        let gate = RequestGate(service: service)
        MarketRoutes(service: service, settings: settings, gate: gate).register(on: routes)
        OrderRoutes(service: service, settings: settings, artifacts: artifacts, gate: gate).register(on: routes)
        VerificationRoutes(service: service, settings: settings, artifacts: artifacts, gate: gate).register(on: routes)
        ArtifactRoutes(service: service, settings: settings, artifacts: artifacts, gate: gate).register(on: routes)
        LedgerRoutes(service: service, database: database).register(on: routes)
        OperationsRoutes(service: service, metrics: metrics).register(on: routes)
        EventRoutes(service: service).register(on: routes)
        return routes
    }

    /// The controller's long-running services: the market clock (auctions, lease checks, beacon
    /// reveals, dispute deadlines and the referee) and the built-in auditor.
    public static func services(
        service: MarketService, artifactsDirectory: URL, budget: AuditBudget, metrics: RequestMetrics,
        clockInterval: Duration = .milliseconds(200), logger: Logger
    ) throws -> [any Service] {
        var budget = budget
        var isolation = ExecIsolation.refused(reason: "audit.runExec is off")
        if budget.runExec {
            // Strangers' programs run only in a sandbox here: there is no unconfined option.
            isolation = ExecIsolation.detect(allowUnsandboxed: false)
            if case .refused(let reason) = isolation {
                logger.error("audit.runExec is set but no sandbox works here; exec leases are left to challengers", metadata: ["reason": "\(reason)"])
                budget.runExec = false
            } else {
                logger.notice("auditor and referee: \(isolation.summary)")
            }
        }
        let runners = JobRunners(artifacts: try ArtifactStore(directory: artifactsDirectory), exec: isolation)
        return [
            MarketClock(
                service: service, runners: runners, referee: metrics.referee, runExec: budget.runExec, interval: clockInterval, logger: logger
            ),
            Auditor(service: service, runners: runners, budget: budget, logger: logger),
        ]
    }

    /// Opens the store, loads the market, and returns the application ready to run.
    ///
    /// `keyFile` is the operator's signing key kept outside the data directory; it must exist (a
    /// `ControllerKeyError` says how to make one). Without it the key is `controller.key` next to the
    /// database, created on first start.
    public static func make(
        config: ControllerConfig, dev: Bool, databasePath: URL, artifactsDirectory: URL, keyFile: URL? = nil, logger: Logger
    ) async throws -> some ApplicationProtocol {
        // Read before the database is opened, so a missing key file leaves no empty database behind.
        var operatorKey: KeyPair?
        if let keyFile { operatorKey = try ControllerKey.load(from: keyFile) }
        let database = try TenderDatabase(path: databasePath)
        let key = try operatorKey ?? ControllerKey.loadOrCreate(next: databasePath)
        logger.notice("controller key", metadata: [
            "account": "\(key.account)", "file": "\((keyFile ?? ControllerKey.defaultURL(next: databasePath)).path)",
        ])
        let policy = config.policy(treasury: key.account, auditPool: key.account)
        let service = try await MarketService(database: database, policy: policy, controllerKey: key, clock: { .wallClock }, logger: logger)
        let settings = ControllerSettings(dev: dev, maxBodyBytes: config.maxBodyBytes, artifactsDirectory: artifactsDirectory)
        let metrics = RequestMetrics()
        let router = try router(service: service, database: database, settings: settings, metrics: metrics)
        guard let address = ListenAddress(config.listen) else { throw ConfigError.invalid("--listen", ["expected HOST:PORT"]) }
        return Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "tender-controller"),
            services: try services(
                service: service, artifactsDirectory: artifactsDirectory, budget: config.auditBudget, metrics: metrics, logger: logger
            ),
            logger: logger
        )
    }
}

extension Timestamp {
    /// The system clock, read only by shells.
    public static var wallClock: Timestamp {
        Timestamp(millis: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}

extension Data {
    var trimmedWhitespace: Data {
        Data(String(decoding: self, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).utf8)
    }
}
