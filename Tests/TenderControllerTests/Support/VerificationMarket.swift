import Foundation
import Testing
import TenderClient
import TenderCore

/// A market of real processes for the verification tests: one `tender-controller` with short
/// verification times, provider agents as `tender-agent` children (each with its own key in a
/// test keystore), and a submitter client in this process.
final class VerificationMarket: @unchecked Sendable {
    // @unchecked: set in `init`; `controller` is restarted only by the test that owns this value.
    let directory: URL
    let home: URL
    let controller: ControllerProcess
    let submitter: TenderAPIClient
    let submitterKey: KeyPair
    let datasetHash: String
    let keystore: Keystore

    static var isAvailable: Bool { ControllerProcess.executable != nil && AgentProcess.executable != nil }

    /// `audit: false` starts a controller whose auditor re-executes nothing, so disputes decide.
    init(audit: Bool = true, availability: String = "2s", disputeMove: String = "10s") async throws {
        let executable = try #require(ControllerProcess.executable)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-e2e-\(UUID().uuidString)")
        home = directory.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("db"), withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("controller.yaml")
        try """
        market:
          heartbeatGrace: 30s
          availability: \(availability)
          disputeMove: \(disputeMove)
          jail: 1h
        audit:
          enabled: \(audit)
        """.write(to: config, atomically: true, encoding: .utf8)
        controller = try ControllerProcess(executable: executable, database: directory.appendingPathComponent("db/tender.sqlite"), config: config)
        try await controller.start()
        keystore = Keystore(directory: home.appendingPathComponent("keys"))
        submitterKey = try keystore.create(name: "submitter", now: .init(millis: 0)).0
        submitter = try TenderAPIClient(baseURL: controller.baseURL, key: submitterKey, timeout: 10)
        _ = try await submitter.faucet(try Amount.credits(100))
        let dataset = ControllerProcess.packageRoot.appendingPathComponent("Datasets/digits.csv")
        datasetHash = try await submitter.putArtifact(try Data(contentsOf: dataset))
    }

    /// A funded key in the keystore, and a client that signs with it.
    func account(_ name: String, credits: Int64 = 100, stake: Int64 = 0) async throws -> (KeyPair, TenderAPIClient) {
        let key = try keystore.create(name: name, now: .init(millis: 0)).0
        let client = try TenderAPIClient(baseURL: controller.baseURL, key: key, timeout: 10)
        _ = try await client.faucet(try Amount.credits(credits))
        if stake > 0 { _ = try await client.stake(try Amount.credits(stake)) }
        return (key, client)
    }

    /// A provider agent process for a new funded key.
    func agent(_ name: String, faults: [String] = []) async throws -> (AgentProcess, AccountID) {
        let (key, _) = try await account(name)
        let profile = ControllerProcess.packageRoot.appendingPathComponent("Providers/cpu-only.yaml")
        let agent = AgentProcess(key: name, home: home, controller: controller.baseURL, profile: profile, faults: faults)
        try agent.start()
        return (agent, key.account)
    }

    /// A small digits training job: `steps` steps with a leaf every `interval`.
    /// A different `seed` makes a different job, whose states no earlier job put in the store.
    func manifest(steps: Int = 60, interval: Int = 5, samples: Int = 459, window: String = "4s", deadline: String = "1m", seed: Int = 11,
                  mode: String = "sampled") -> String {
        """
        version: 1
        name: digits-e2e
        kind: training
        workload:
          runtime: mlp-train
          dataset: sha256:\(datasetHash)
          trainRows: 1437
          layers: [64, 16, 10]
          activation: relu
          steps: \(steps)
          batch: 16
          learningRate: 0.1
          momentum: 0.9
          seed: \(seed)
          checkpointInterval: \(interval)
          inputScale: 16
        resources:
          cpu:
            units: 1
          memory:
            size: 1Gi
        pricing:
          maxPrice: 1
          auctionDuration: 6s
        verification:
          mode: \(mode)
          samples: \(samples)
          challengeWindow: \(window)
          collateral: 2
        deadline: \(deadline)
        """
    }

    func submit(_ manifest: String) async throws -> OrderID {
        try await submitter.submitOrder(manifest: manifest, contentType: "application/yaml").order.id
    }

    /// Polls the order's first lease until `condition` holds.
    func lease(ofOrder order: OrderID, seconds: Double = 90, until condition: (API.LeaseView) -> Bool) async throws -> API.LeaseView {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let lease = try? await submitter.order(order).leases.first, condition(lease) { return lease }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ControllerProcess.ProcessFailure("order \(order)'s lease did not get there in \(seconds)s\n\(controller.logTail)")
    }

    /// Polls until the order has `count` leases and every one is final.
    func leases(ofOrder order: OrderID, count: Int, seconds: Double = 90) async throws -> [API.LeaseView] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let leases = try? await submitter.order(order).leases, leases.count == count, leases.allSatisfy(\.isFinal) { return leases }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ControllerProcess.ProcessFailure("order \(order)'s leases did not all end in \(seconds)s\n\(controller.logTail)")
    }

    /// Polls a dispute until it is resolved.
    func resolved(_ dispute: DisputeID, seconds: Double = 90) async throws -> API.DisputeView {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let view = try? await submitter.dispute(dispute), view.isResolved { return view }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ControllerProcess.ProcessFailure("dispute \(dispute) was not resolved in \(seconds)s\n\(controller.logTail)")
    }

    /// What `tender ledger verify` checks, from outside.
    func ledgerVerifies() async throws -> Bool {
        let audit = try await submitter.auditLedger()
        if !audit.isValid { Issue.record("ledger audit: \(audit.problems)") }
        return audit.isValid
    }

    func cleanUp() {
        controller.cleanUp()
        try? FileManager.default.removeItem(at: directory)
    }
}
