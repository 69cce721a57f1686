import Foundation
import Logging
import TenderClient
import TenderCore

/// The agent's imperative shell: polls the controller, asks the `AgentPlanner` what to do, and
/// carries the actions out with `TenderAPIClient`. Won leases run as child tasks of `run()`
/// (`LeaseExecutor`, whose compute is on its own thread), so cancelling `run()` stops them all
/// at their next checkpoint with their progress on disk.
public actor ProviderAgent {
    public let configuration: AgentConfiguration
    let logger: Logger
    var planner: AgentPlanner
    let pricer: ScriptPricer?
    /// The order each known lease of ours belongs to (the executor needs its manifest).
    var orderOfLease: [LeaseID: Order] = [:]
    /// Leases we committed whose states are kept on disk until they are final.
    var keptLeases: Set<LeaseID> = []
    /// Plays the provider's side of disputes on our leases.
    let responder: DisputeResponder
    /// A responder pass is running; polls do not start another.
    var answeringDisputes = false
    var polls = 0
    /// How each lease run ended, for logs and tests.
    public private(set) var outcomes: [LeaseID: LeaseOutcome] = [:]
    var unreachableSince: Int?
    /// Open orders and our running leases, kept current by the controller's event stream.
    var mirror: MarketMirror
    /// Whether the event stream is connected now.
    var following = false
    /// How many polls listed open orders and leases rather than reading the mirror.
    var listings = 0

    public init(configuration: AgentConfiguration, logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "account"] = "\(configuration.key.account.hex.prefix(12))"
        self.logger = logger
        mirror = MarketMirror(account: configuration.key.account)
        planner = AgentPlanner(account: configuration.key.account, profile: configuration.profile,
                               screeningProfile: configuration.screeningProfile,
                               unavailableRuntimes: configuration.unavailableRuntimes)
        responder = DisputeResponder(
            client: configuration.client, account: configuration.key.account, stateDirectory: configuration.stateDirectory,
            execIsolation: configuration.execIsolation, logger: logger
        )
        if case .script(let command, let timeout) = configuration.profile.pricing {
            pricer = ScriptPricer(command: command, directory: configuration.profileDirectory, timeout: .seconds(timeout))
        } else {
            pricer = nil
        }
    }

    public var account: AccountID { configuration.key.account }

    /// Polls and acts until cancelled; then waits for running leases to save their progress.
    public func run() async {
        announce()
        // Leases committed before a restart keep their states until they are final.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: configuration.stateDirectory.path)) ?? []
        for name in names where name.hasPrefix("lease-") {
            if let id = LeaseID(name.dropFirst(6)) { keptLeases.insert(id) }
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.followEvents() }
            while !Task.isCancelled {
                if let snapshot = await poll() {
                    for action in planner.plan(snapshot) {
                        await perform(action, group: &group)
                    }
                    await answerDisputes(group: &group)
                    polls += 1
                    if polls % 10 == 0 { await forgetFinalLeases() }
                }
                try? await Task.sleep(for: configuration.pollInterval)
            }
        }
        logger.info("agent stopped")
    }

    private func announce() {
        let profile = configuration.profile
        logger.info("tender-agent starting", metadata: [
            "profile": "\(profile.name)", "controller": "\(configuration.client.baseURL.absoluteString)",
            "concurrency": "\(profile.concurrency)", "stakeTarget": "\(profile.stakeTarget)",
            "stateDir": "\(configuration.stateDirectory.path)",
        ])
        if let gpus = configuration.detectedGPUs {
            logger.info("inventory from nvidia-smi", metadata: ["gpus": "\(gpus.map { "\($0.count)x \($0.spec)" })"])
            if gpus != profile.inventory.gpus {
                logger.warning("nvidia-smi disagrees with the profile's GPUs; screening with what is installed")
            }
        } else {
            logger.info("no nvidia-smi: using the profile's inventory", metadata: ["gpus": "\(profile.inventory.gpuCount)"])
        }
        if !configuration.faults.isEmpty {
            logger.warning("FAULT INJECTION ON: this agent will misbehave on purpose", metadata: ["faults": "\(configuration.faults)"])
        }
    }

    // MARK: - Following the market

    /// Follows `GET /v1/events` until cancelled, reconnecting a second after the stream ends
    /// (resuming after the last event seen) and keeping `mirror` current. While it is not
    /// connected, or after a `reset`, polls list open orders and our leases instead.
    func followEvents() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                for try await event in configuration.client.events(after: mirror.lastEventID) {
                    if !following {
                        following = true
                        failures = 0
                        logger.info("following the market's events")
                    }
                    mirror.apply(event)
                }
            } catch {
                failures += 1
                if !Task.isCancelled, failures == 1 || failures % 60 == 0 {
                    logger.notice("event stream unavailable; listing on each poll meanwhile", metadata: ["error": "\(error)"])
                }
            }
            following = false
            mirror.lostStream()
            // Polls list meanwhile, so reconnecting can wait: one second, then longer after each
            // failure up to half a minute, jittered so agents do not return together.
            let backoff = min(30.0, Double(1 << min(failures, 5)) / 2) * Double.random(in: 0.5...1)
            try? await Task.sleep(for: .seconds(max(backoff, 0.5)))
        }
    }

    // MARK: - Polling

    /// The account, open orders and our leases; nil (logged) when the controller cannot be reached.
    /// Orders and leases come from the event stream's mirror; they are listed (open orders by
    /// state, page by page) only when the stream is not connected or said it missed something.
    func poll() async -> AgentSnapshot? {
        let client = configuration.client
        do {
            let view: API.AccountView?
            do throws(ClientError) { view = try await client.account(account) } catch where error.status == 404 { view = nil }
            if mirror.needsListing || !following {
                mirror.beginListing()
                listings += 1
                let open = try await client.allOrders(state: .open)
                let running = try await runningLeases()
                mirror.relist(openOrders: open, ownLeases: running)
            }
            let open = mirror.openOrders.values.sorted { $0.id < $1.id }
            let leases = mirror.ownLeases.values.sorted { $0.id < $1.id }
            for lease in leases where orderOfLease[lease.id] == nil {
                orderOfLease[lease.id] = try await client.order(lease.order).order
            }
            if unreachableSince != nil {
                logger.notice("controller reachable again")
                unreachableSince = nil
            }
            return AgentSnapshot(account: view, openOrders: open, ownLeases: leases, now: Self.wallClock)
        } catch {
            let failures = (unreachableSince ?? 0) + 1
            unreachableSince = failures
            if failures == 1 || failures % 30 == 0 {
                logger.error("poll failed; retrying", metadata: ["error": "\(error)", "attempts": "\(failures)"])
            }
            return nil
        }
    }

    /// Our running leases (`GET /v1/leases?state=running&provider=me`).
    func runningLeases() async throws(ClientError) -> [API.LeaseView] {
        let client = configuration.client
        var leases: [API.LeaseView] = []
        var after: UInt64?
        repeat {
            let page = try await client.leases(state: .running, provider: account, after: after)
            leases += page.leases
            after = page.next
        } while after != nil
        return leases
    }

    static var wallClock: Timestamp {
        Timestamp(millis: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    // MARK: - Actions

    func perform(_ action: AgentAction, group: inout DiscardingTaskGroup) async {
        let client = configuration.client
        switch action {
        case .register:
            do throws(ClientError) {
                _ = try await client.registerProvider(profile: configuration.profileText, contentType: configuration.profileContentType)
                planner.didRegister()
                logger.info("registered provider profile", metadata: ["profile": "\(configuration.profile.name)"])
            } catch {
                // A transport failure is worth retrying, and so is an account the controller does not
                // know yet (it registers once funded); a refused profile would be refused again.
                if case .unreachable = error {
                    planner.registrationFailed()
                } else if error.status == 401 {
                    planner.registrationFailed()
                    logger.warning("the controller does not know this account yet: fund it to register", metadata: ["account": "\(account.hex)"])
                    return
                } else {
                    planner.didRegister()
                }
                logger.error("cannot register the provider profile", metadata: ["error": "\(error)"])
            }
        case .stake(let amount):
            do {
                _ = try await client.stake(amount)
                logger.info("staked", metadata: ["amount": "\(amount)", "target": "\(configuration.profile.stakeTarget)"])
            } catch {
                logger.error("stake failed", metadata: ["amount": "\(amount)", "error": "\(error)"])
            }
        case .stakeShortfall(let target, let bonded, let available):
            logger.warning(
                "stake is below target and the available balance cannot cover it: fund this account",
                metadata: ["target": "\(target)", "staked": "\(bonded)", "available": "\(available)", "account": "\(account.hex)"]
            )
        case .quote(let order):
            guard let pricer else { return }
            let outcome = await pricer.quote(order)
            if case .failed(let reason) = outcome {
                logger.warning("pricing script failed; skipping order", metadata: ["order": "\(order.id)", "reason": "\(reason)"])
            }
            planner.didQuote(order.id, outcome)
        case .bid(let order, let price):
            do throws(ClientError) {
                _ = try await client.placeBid(order: order, price: price)
                logger.info("bid", metadata: ["order": "\(order)", "price": "\(price)"])
            } catch {
                if let problem = error.problem {
                    planner.bidRefused(order)
                    let reasons = (problem.reasons ?? []).map { "\($0.code): \($0.message)" }
                    logger.warning("bid refused", metadata: [
                        "order": "\(order)", "status": "\(error.status ?? 0)", "detail": "\(problem.detail)", "reasons": "\(reasons)",
                    ])
                } else {
                    planner.bidFailed(order)
                    logger.error("bid failed; will retry", metadata: ["order": "\(order)", "error": "\(error)"])
                }
            }
        case .decline(let order, let reasons):
            logger.info("declining order", metadata: ["order": "\(order)", "reasons": "\(reasons.joined(separator: "; "))"])
        case .startLease(let lease):
            guard let order = orderOfLease[lease.id] else {
                planner.leaseEnded(lease.id, retry: true)
                return
            }
            logger.info("won lease; starting", metadata: ["lease": "\(lease.id)", "order": "\(order.id)", "deadline": "\(lease.deadline)"])
            let executor = LeaseExecutor(
                lease: lease, order: order, client: client, key: configuration.key,
                stateDirectory: configuration.stateDirectory, faults: configuration.faults,
                heartbeatInterval: configuration.heartbeatInterval, stopAfterLeaf: configuration.stopAfterLeaf,
                execIsolation: configuration.execIsolation, logger: logger
            )
            group.addTask {
                let outcome = await executor.run()
                await self.leaseFinished(lease.id, outcome)
            }
        }
    }

    func leaseFinished(_ lease: LeaseID, _ outcome: LeaseOutcome) {
        outcomes[lease] = outcome
        switch outcome {
        case .committed, .withheld:
            keptLeases.insert(lease)
            planner.leaseEnded(lease, retry: false)
        case .stopped:
            planner.leaseEnded(lease, retry: false)
        case .failed(let reason, let retry):
            logger.error("lease run failed", metadata: ["lease": "\(lease)", "reason": "\(reason)", "retry": "\(retry)"])
            planner.leaseEnded(lease, retry: retry)
        }
    }
}
