import Foundation
import Hummingbird
import Logging
import Synchronization
import Testing
@testable import TenderAgentService
import TenderClient
@testable import TenderControllerService
import TenderCore
import TenderStore
import TenderWorkloads

/// A real controller on a loopback port, in process, with a funded submitter and provider.
struct LiveMarket {
    let directory: URL
    let baseURL: URL
    let server: Task<Void, any Error>
    let submitter: TenderAPIClient
    let providerKey: KeyPair
    let provider: TenderAPIClient
    let dataset: URL
    let datasetHash: String

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func start() async throws -> LiveMarket {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-agent-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let storage = try SQLiteMarketStorage(path: directory.appendingPathComponent("tender.sqlite"))
        let key = KeyPair()
        var logger = Logger(label: "controller")
        logger.logLevel = .critical  // shutdown at the end of a test logs a cancelled child channel
        let service = try await MarketService(
            storage: storage, policy: MarketPolicy(treasury: key.account, auditPool: key.account),
            controllerKey: key, clock: { .wallClock }, logger: logger
        )
        let settings = ControllerSettings(dev: true, maxBodyBytes: 64 << 20, artifactsDirectory: directory.appendingPathComponent("artifacts"))
        let metrics = RequestMetrics()
        let router = try ControllerApplication.router(service: service, settings: settings, metrics: metrics)
        let port = PortBox()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            services: try ControllerApplication.services(
                service: service, artifactsDirectory: settings.artifactsDirectory, budget: AuditBudget(),
                metrics: metrics, clockInterval: .milliseconds(50), logger: logger
            ),
            onServerRunning: { channel in port.value.withLock { $0 = channel.localAddress?.port } },
            logger: logger
        )
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        var bound: Int?
        for _ in 0..<200 {
            bound = port.value.withLock { $0 }
            if bound != nil { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        let boundPort = try #require(bound, "the controller did not start")
        let baseURL = URL(string: "http://127.0.0.1:\(boundPort)")!
        let submitter = try TenderAPIClient(baseURL: baseURL, key: KeyPair(), timeout: 10)
        let providerKey = KeyPair()
        let provider = try TenderAPIClient(baseURL: baseURL, key: providerKey, timeout: 10)
        _ = try await submitter.faucet(try Amount.credits(100))
        _ = try await provider.faucet(try Amount.credits(100))
        let dataset = repository.appendingPathComponent("Datasets/digits.csv")
        let datasetHash = try await submitter.putArtifact(try Data(contentsOf: dataset))
        return LiveMarket(directory: directory, baseURL: baseURL, server: server, submitter: submitter, providerKey: providerKey,
                          provider: provider, dataset: dataset, datasetHash: datasetHash)
    }

    /// A small digits training job: 60 steps, a checkpoint every 10.
    var manifestText: String {
        Self.manifest(name: "digits-small", samples: 2, workload: """
              runtime: mlp-train
              dataset: sha256:\(datasetHash)
              trainRows: 1437
              layers: [64, 32, 10]
              activation: relu
              steps: 60
              batch: 32
              learningRate: 0.1
              momentum: 0.9
              seed: 7
              checkpointInterval: 10
              inputScale: 16
            """)
    }

    /// A one-CPU training manifest with a 6 s auction (time for a loaded machine's agent to bid)
    /// around `workload`, the lines of the `workload:` mapping indented by two spaces.
    static func manifest(name: String, samples: Int, workload: String) -> String {
        """
        version: 1
        name: \(name)
        kind: training
        workload:
        \(workload)
        resources:
          cpu:
            units: 1
          memory:
            size: 1Gi
        pricing:
          maxPrice: 1
          auctionDuration: 6s
        verification:
          samples: \(samples)
          challengeWindow: 10m
          collateral: 1
        deadline: 10m
        """
    }

    static let profileText = """
        version: 1
        name: live-test
        inventory:
          cpu:
            units: 2
          memory:
            size: 4Gi
          storage:
            size: 10Gi
        pricing:
          strategy: linear
          gpuHour: 0
          cpuHour: 0.02
          minimum: 0.01
        concurrency: 1
        stakeTarget: 10
        """

    func agent(
        stateDirectory: URL, stopAfterLeaf: Int? = nil, faults: FaultPlan = FaultPlan(), profileText: String = Self.profileText,
        execIsolation: ExecIsolation = .refused(reason: "no sandbox in this test")
    ) throws -> ProviderAgent {
        var logger = Logger(label: "agent")
        logger.logLevel = ProcessInfo.processInfo.environment["TENDER_TEST_AGENT_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let configuration = AgentConfiguration(
            profile: try ProviderProfile.parse(profileText), profileText: profileText,
            profileDirectory: directory, key: providerKey, client: provider, stateDirectory: stateDirectory, faults: faults,
            pollInterval: .milliseconds(100), heartbeatInterval: .seconds(1), stopAfterLeaf: stopAfterLeaf,
            execIsolation: execIsolation
        )
        return ProviderAgent(configuration: configuration, logger: logger)
    }

    /// The same job run locally, uninterrupted.
    func localRun() throws -> WorkloadRun {
        let manifest = try JobManifest.parse(manifestText)
        let workload = try WorkloadFactory.make(manifest.workload, exec: .refused(reason: "not an exec job")) { _ in dataset }
        return try WorkloadRunner(workload).run()
    }

    /// Polls until `condition` holds for the order's first lease, or fails after `seconds`.
    func waitForLease(order: OrderID, seconds: Double = 60, _ condition: (API.LeaseView) -> Bool) async throws -> API.LeaseView {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let lease = try await submitter.order(order).leases.first, condition(lease) { return lease }
            try await Task.sleep(for: .milliseconds(100))
        }
        let view = try? await submitter.order(order)
        let state = view.map { "order \($0.order.state.rawValue), \($0.order.bids.count) bids, leases \($0.leases.map { "\($0.id) \($0.state.rawValue) step \($0.lastStep)" })" } ?? "order unreadable"
        throw LiveTimeout(what: "lease of order \(order) (\(state))")
    }

    /// Waits until the agent has staked (it registers and stakes before it can bid), so an order
    /// submitted next meets a bidder within its auction even on a loaded machine.
    func waitUntilStaked(seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let view = try? await provider.account(providerKey.account), view.balances.staked > .zero { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LiveTimeout(what: "the agent's stake")
    }

    func stop() async {
        server.cancel()
        _ = await server.result
        try? FileManager.default.removeItem(at: directory)
    }
}

final class PortBox: Sendable {
    let value = Mutex<Int?>(nil)
}

struct LiveTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}
