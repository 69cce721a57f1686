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
        service: MarketService, settings: ControllerSettings, metrics: RequestMetrics
    ) throws -> Router<BasicRequestContext> {
        try routeTable(service: service, settings: settings, metrics: metrics).router
    }

    static func routeTable(
        service: MarketService, settings: ControllerSettings, metrics: RequestMetrics
    ) throws -> RouteTable {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: metrics.middleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: LeaderRedirect(service: service))
        let routes = RouteTable(router: router)
        let artifacts = try DirectoryArtifactStore(directory: settings.artifactsDirectory)
        let gate = RequestGate(service: service)
        MarketRoutes(service: service, settings: settings, gate: gate).register(on: routes)
        OrderRoutes(service: service, settings: settings, artifacts: artifacts, gate: gate, inputCheck: OrderInputCheck(artifacts: artifacts))
            .register(on: routes)
        VerificationRoutes(service: service, settings: settings, artifacts: artifacts, gate: gate).register(on: routes)
        ArtifactRoutes(service: service, settings: settings, artifacts: artifacts, gate: gate).register(on: routes)
        LedgerRoutes(service: service).register(on: routes)
        OperationsRoutes(service: service, metrics: metrics).register(on: routes)
        EventRoutes(service: service).register(on: routes)
        return routes
    }

    /// A controller signs as the key that signed its journal: one started with another key (a key
    /// file replaced, or, on a shared database, one made per machine rather than copied) would
    /// sign over entries it cannot vouch for, and clients' `ledger verify` would then fail on a
    /// key change nobody meant. It refuses to start unless the journal's last entry is signed by
    /// its key, or the operator says the key is being rotated on purpose (`--accept-new-key`).
    /// Later loads hold it to the head it started on (`JournalTrust`).
    static func checkJournalSigner(_ storage: any MarketStorage, key: AccountID) async throws {
        guard let head = try await signedHead(storage) else { return }
        guard head.isSigned(by: key) else {
            throw ControllerKeyError.journalSignedByAnotherKey(sequence: head.sequence, account: key.hex)
        }
    }

    /// The journal's last entry when it carries a controller's signature; nil for an empty or
    /// unsigned journal.
    static func signedHead(_ storage: any MarketStorage) async throws -> JournalEntry? {
        let head = try await storage.revision().journal
        guard head > 0, let entry = try await storage.journal(after: head - 1, limit: 1).first, entry.signature != nil else { return nil }
        return entry
    }

    /// The key beside an SQLite database, made there on first start. Not made when the journal's
    /// last entry is signed: the key that signed it belongs there (the database was moved without
    /// it, or it was deleted), and a new one would only be refused by `checkJournalSigner` after it
    /// had been written, leaving a stray key file where the real one belongs.
    static func defaultKey(at url: URL, storage: any MarketStorage, acceptNewKey: Bool) async throws -> KeyPair {
        if !acceptNewKey, !FileManager.default.fileExists(atPath: url.path), let head = try await signedHead(storage) {
            throw ControllerKeyError.missingForSignedJournal(url.path, sequence: head.sequence)
        }
        return try ControllerKey.loadOrCreate(at: url)
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
        let runners = JobRunners(artifacts: try DirectoryArtifactStore(directory: artifactsDirectory), exec: isolation)
        // Services stop in the reverse of this order: the store is closed last.
        return [
            StoreCloser(storage: service.storage),
            Replication(service: service),
            MarketClock(
                service: service, runners: runners, referee: metrics.referee, runExec: budget.runExec, interval: clockInterval, logger: logger
            ),
            Auditor(service: service, runners: runners, budget: budget, logger: logger),
        ]
    }

    /// Opens the store, loads the market, and returns the application ready to run.
    ///
    /// `keyFile` is the operator's signing key kept outside the data directory; it must exist (a
    /// `ControllerKeyError` says how to make one). Without it the key is `controller.key` next to an
    /// SQLite database, created on first start (not over a journal whose last entry is signed; see
    /// `defaultKey`); a PostgreSQL database needs `keyFile`. `onListening`
    /// hears the port the server bound, once it accepts connections.
    public static func make(
        config: ControllerConfig, dev: Bool, store: StoreLocation, artifactsDirectory: URL, keyFile: URL? = nil,
        acceptNewKey: Bool = false, logger: Logger, onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        // Read before the database is opened, so a missing key file leaves no empty database behind.
        guard let keyPath = keyFile ?? store.file.map({ ControllerKey.defaultURL(next: $0) }) else {
            throw ControllerKeyError.sharedDatabaseNeedsKeyFile
        }
        // Followers send clients to the leader's advertised URL: an address that means "this
        // machine" to the client would send them, signed requests and all, somewhere else.
        if store.file == nil, config.advertise == nil, let host = ListenAddress(config.listen)?.host, ["0.0.0.0", "::", "[::]"].contains(host) {
            throw ConfigError.invalid("--advertise", ["with a shared database and --listen \(config.listen), name the URL other machines reach this controller at, e.g. --advertise http://10.0.0.5:8080"])
        }
        let operatorKey = try keyFile.map { try ControllerKey.load(from: $0) }
        let storage = try await store.open(logger: logger)
        // Whatever refuses start-up from here on (a key that is not the journal's, a journal that
        // does not load, a bad --listen) closes the store first: the demo and the tests build
        // controllers in their own process, which goes on.
        do {
            let key = if let operatorKey { operatorKey } else { try await defaultKey(at: keyPath, storage: storage, acceptNewKey: acceptNewKey) }
            logger.notice("controller key", metadata: ["account": "\(key.account)", "file": "\(keyPath.path)"])
            if !acceptNewKey {
                try await checkJournalSigner(storage, key: key.account)
            }
            let policy = config.policy(treasury: key.account, auditPool: key.account)
            let advertised = config.advertise ?? ListenAddress(config.listen).map { "http://\($0.host):\($0.port)" }
            let service = try await MarketService(
                storage: storage, policy: policy, controllerKey: key, clock: { .wallClock }, logger: logger, advertisedURL: advertised
            )
            let settings = ControllerSettings(dev: dev, maxBodyBytes: config.maxBodyBytes, artifactsDirectory: artifactsDirectory)
            let metrics = RequestMetrics()
            let router = try router(service: service, settings: settings, metrics: metrics)
            guard let address = ListenAddress(config.listen) else { throw ConfigError.invalid("--listen", ["expected HOST:PORT"]) }
            return Application(
                router: router,
                configuration: .init(address: .hostname(address.host, port: address.port), serverName: "tender-controller"),
                services: try services(
                    service: service, artifactsDirectory: artifactsDirectory, budget: config.auditBudget, metrics: metrics, logger: logger
                ),
                // Port 0 asks the system for a free port: this says which one it gave (`tender demo`).
                onServerRunning: { channel in
                    if let port = channel.localAddress?.port { await onListening(port) }
                },
                logger: logger
            )
        } catch {
            try? await storage.close()
            throw error
        }
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
