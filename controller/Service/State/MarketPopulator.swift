import Foundation
import Logging
import TenderCore
import TenderStore

/// Fills a new database with a synthetic market, for measuring the controller at scale: funded
/// accounts, open orders, and transfers that lengthen the journal.
///
/// Everything goes through `MarketService`, the path every command takes, so the journal, records
/// and checks are the controller's own; but no user signed these requests, so the journal's
/// entries carry no request evidence and `tender ledger verify` refuses them. The artifacts
/// the orders name are recorded as uploaded but their bytes are not stored, so the orders can be
/// listed, bid on and cancelled, not run. The controller key is created next to the database, as
/// `serve` does, so a controller started on it signs with the key its journal was signed with.
public enum MarketPopulator {
    public struct Plan: Sendable {
        public var accounts: Int
        public var orders: Int
        public var transfers: Int
        /// Cancel every order after submitting it, leaving finished orders rather than open ones.
        public var cancelOrders: Bool

        public init(accounts: Int, orders: Int, transfers: Int, cancelOrders: Bool = false) {
            self.accounts = accounts
            self.orders = orders
            self.transfers = transfers
            self.cancelOrders = cancelOrders
        }
    }

    public struct Summary: Sendable {
        public var accounts: Int
        public var openOrders: Int
        public var journalEntries: UInt64
        public var seconds: Double
    }

    /// How many commands are in flight at once, so group commit gathers them into few transactions.
    static let inFlight = 256

    public static func populate(
        databasePath: URL, plan: Plan, config: ControllerConfig = ControllerConfig(), logger: Logger
    ) async throws -> Summary {
        let started = ContinuousClock.now
        let storage = try SQLiteMarketStorage(path: databasePath)
        let key = try ControllerKey.loadOrCreate(next: databasePath)
        let policy = config.policy(treasury: key.account, auditPool: key.account)
        let service = try await MarketService(storage: storage, policy: policy, controllerKey: key, clock: { .wallClock }, logger: logger)

        let accounts = (0..<plan.accounts).map { _ in KeyPair().account }
        try await inBatches(accounts) { account in
            try await service.perform { market, now throws(MarketplaceError) in ((), try market.mint(try! .credits(1_000), to: account, now: now)) }
        }
        logger.info("accounts funded", metadata: ["accounts": "\(accounts.count)"])

        // A hundred orders per submitter, each naming its submitter's own manifest and inputs: an
        // artifact records every order that names it, so one artifact named by every order would
        // make each submission cost what came before (a limit the closing notes of this work name).
        let submitters = stride(from: 0, to: plan.orders, by: 100).map { index in accounts.isEmpty ? KeyPair().account : accounts[(index / 100) % accounts.count] }
        let jobs = try submitters.indices.map { index in
            let text = syntheticManifest(index)
            let manifest = try JobManifest.parse(text)
            return (manifest: manifest, hash: Hashing.sha256Hex(text), inputs: Set(manifest.workload.storedInputHashes))
        }
        try await inBatches(Array(submitters.indices)) { index in
            let (submitter, job) = (submitters[index], jobs[index])
            try await service.perform { market, now throws(MarketplaceError) in
                var change = try market.mint(try! .credits(100_000), to: submitter, now: now)
                for hash in [job.hash] + job.inputs.sorted() {
                    change.merge(try market.recordUpload(hash: hash, size: 1_024, by: submitter, lease: nil, now: now))
                }
                return ((), change)
            }
        }
        let cancel = plan.cancelOrders
        try await inBatches(Array(0..<plan.orders)) { index in
            let (submitter, job) = (submitters[index / 100], jobs[index / 100])
            try await service.perform { market, now throws(MarketplaceError) in
                var (id, change) = try market.submitOrder(
                    manifest: job.manifest, manifestHash: job.hash, by: submitter, storedInputs: job.inputs, now: now
                )
                if cancel { change.merge(try market.cancelOrder(id, by: submitter, now: now)) }
                return ((), change)
            }
        }
        logger.info("orders submitted", metadata: ["orders": "\(plan.orders)"])

        if !accounts.isEmpty {
            try await inBatches(Array(0..<plan.transfers)) { index in
                let from = accounts[index % accounts.count]
                let to = accounts[(index + 1) % accounts.count]
                try await service.perform { market, now throws(MarketplaceError) in
                    ((), try market.transfer(try! Amount(micros: 1), from: from, to: to, now: now))
                }
            }
        }
        let (sequence, open) = await service.read { ($0.ledger.sequence, $0.openOrderIDs.count) }
        return Summary(
            accounts: accounts.count, openOrders: open, journalEntries: sequence,
            seconds: Double((ContinuousClock.now - started) / .milliseconds(1)) / 1_000
        )
    }

    /// Runs `body` for every item, `inFlight` at a time.
    private static func inBatches<T: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) async throws -> Void) async throws {
        var start = 0
        while start < items.count {
            let batch = items[start..<min(start + inFlight, items.count)]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for item in batch { group.addTask { try await body(item) } }
                try await group.waitForAll()
            }
            start += inFlight
        }
    }

    /// An inference order that stays open for a day: its auction closes only if nobody measures.
    static func syntheticManifest(_ submitter: Int) -> String {
        """
        version: 1
        name: synthetic-load-\(submitter)
        kind: inference
        workload:
          runtime: mlp-infer
          model: sha256:\(Hashing.sha256Hex("synthetic model \(submitter)"))
          inputs: sha256:\(Hashing.sha256Hex("synthetic inputs \(submitter)"))
          batch: 90
          checkpointInterval: 4
          inputScale: 16
        resources:
          cpu:
            units: 1
          memory:
            size: 1Gi
          storage:
            - size: 512Mi
        pricing:
          maxPrice: 0.5
          auctionDuration: 24h
        verification:
          mode: sampled
          samples: 4
          challengeWindow: 10m
          collateral: 1
        deadline: 48h
        """
    }
}
