import Foundation
import Metrics
import Logging
import ServiceLifecycle
import Synchronization
import TenderCore
import TenderWorkloads

/// Drives the market's stored deadlines: closes auctions, checks leases, reveals beacons, and
/// runs each dispute's clock (a missed move loses; a game down to one step gets the referee).
///
/// Deadlines live in the database, so after a restart the clock picks up whatever was pending,
/// including those that fell due while the controller was down. It polls at a short interval
/// rather than sleeping until the next deadline, which keeps it simple and costs nothing measurable.
public struct MarketClock: Service {
    let service: MarketService
    let runners: JobRunners?
    /// Whether the referee may execute an `exec` program's step (the auditor's `runExec`).
    let runExec: Bool
    let interval: Duration
    let logger: Logger
    let referee: RefereeCounter

    init(service: MarketService, runners: JobRunners?, referee: RefereeCounter = RefereeCounter(), runExec: Bool = false,
         interval: Duration = .milliseconds(200), logger: Logger) {
        self.service = service
        self.runners = runners
        self.runExec = runExec
        self.referee = referee
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await tick()
            try? await Task.sleep(for: interval)
        }
    }

    /// Handles every deadline that is due now.
    public func tick() async {
        for deadline in await service.dueDeadlines(at: service.now) {
            do {
                switch deadline.kind {
                case .auctionClose:
                    try await closeAuction(OrderID(deadline.subject))
                case .leaseCheck:
                    try await service.perform { market, now throws(MarketplaceError) in
                        ((), try market.checkLease(LeaseID(deadline.subject), now: now))
                    }
                case .beaconReveal:
                    try await revealBeacon(LeaseID(deadline.subject))
                case .disputeCheck:
                    try await checkDispute(DisputeID(deadline.subject))
                }
            } catch let error as MarketplaceError {
                // The market refused: the subject moved on (or never can); nothing to retry.
                logger.notice("deadline refused by the market", metadata: ["kind": "\(deadline.kind.rawValue)", "subject": "\(deadline.subject)", "error": "\(error)"])
            } catch {
                // Storage, a missing input, a job that cannot be built: try again later rather
                // than drop the only thing that moves this lease or dispute on.
                logger.error("deadline failed; retrying in 10 s", metadata: ["kind": "\(deadline.kind.rawValue)", "subject": "\(deadline.subject)", "error": "\(error)"])
                await service.postpone(deadline, to: service.now.adding(seconds: 10))
                continue
            }
            await service.finish(deadline)
        }
    }

    private func closeAuction(_ order: OrderID) async throws {
        let replicas = await service.read { $0.orders[order]?.manifest.verification.replicas } ?? 1
        // The beacon secrets are drawn here, in the shell; the market keeps their hashes in the
        // leases and hands the secrets back to be stored privately in the same transaction.
        var generator = SystemRandomNumberGenerator()
        let secrets = (0..<replicas).map { _ in Hex.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }) }
        try await service.perform { market, now throws(MarketplaceError) in
            ((), try market.closeAuction(order, beaconSecrets: secrets, now: now))
        }
        logger.info("auction closed", metadata: ["order": "\(order)"])
    }

    private func revealBeacon(_ lease: LeaseID) async throws {
        guard let current = await service.read({ $0.leases[lease] }), current.audit == nil, current.isUnderVerification else { return }
        guard let secret = try await service.beaconSecret(lease: lease) else {
            logger.critical("no beacon secret was kept for a committed lease; it cannot be audited", metadata: ["lease": "\(lease)"])
            throw ControllerError.missingInput("beacon secret of lease \(lease)")
        }
        try await service.perform { market, now throws(MarketplaceError) in
            ((), try market.revealBeacon(lease: lease, secret: secret, now: now))
        }
        logger.info("beacon revealed; audit starts", metadata: ["lease": "\(lease)"])
    }

    /// A dispute's deadline: the referee's ruling when the game is down to one step and the state
    /// is uploaded, otherwise the end of the game for a party that missed its move.
    private func checkDispute(_ id: DisputeID) async throws {
        guard let dispute = await service.read({ $0.disputes[id] }), !dispute.isResolved else { return }
        guard case .awaitingRuling(let range) = dispute.phase else {
            // The ruling is read in the command: a ruling that finishes the order takes the dispute
            // out of memory once it is stored.
            let ruling = try await service.perform { market, now throws(MarketplaceError) in
                let change = try market.expireDispute(id, now: now)
                return (market.disputes[id]?.ruling, change)
            }
            if let ruling { log(ruling, id) }
            return
        }
        let order = await service.read { market in market.leases[dispute.lease].flatMap { market.orders[$0.order] } }
        guard let runners, let order else {
            throw ControllerError.missingInput("the job of dispute \(id)")
        }
        if case .exec = order.manifest.workload, !runExec {
            // The controller does not run strangers' programs unconfined, the referee included.
            try await service.perform { market, now throws(MarketplaceError) in
                ((), try market.voidDispute(id, because: "this controller does not execute exec programs; the bond is returned", now: now))
            }
            logger.notice("dispute voided: the referee does not run exec programs here", metadata: ["dispute": "\(id)"])
            return
        }
        let outcome: Dispute.RefereeOutcome
        if let state = try runners.artifacts.get(range.lowHash) {
            let runner = try runners.runner(for: order)
            let counter = referee
            outcome = await ComputeThread.run(name: "tender-referee") {
                counter.add(steps: 1)
                return Referee.rule(state: state, range: range, runner: runner)
            }
        } else {
            outcome = .invalidState("the state is no longer in the artifact store")
        }
        let ruling = try await service.perform { market, now throws(MarketplaceError) in
            let change = try market.ruleDispute(id, outcome, now: now)
            return (market.disputes[id]?.ruling, change)
        }
        if let ruling { log(ruling, id) }
    }

    private func log(_ ruling: Dispute.Ruling, _ id: DisputeID) {
        logger.notice("dispute resolved", metadata: [
            "dispute": "\(id)", "winner": "\(ruling.winner?.rawValue ?? "none")", "reason": "\(ruling.reason.rawValue)", "detail": "\(ruling.detail)",
        ])
    }
}

/// How many steps the referee has executed and in how many rulings: the referee's whole cost,
/// served in `/metrics` (DESIGN section 12: one step per dispute, whatever the segment length).
public final class RefereeCounter: Sendable {
    private let counts = Mutex((steps: 0, rulings: 0))
    private let stepsCounter = Counter(label: "tender_referee_steps_total")
    private let rulingsCounter = Counter(label: "tender_referee_rulings_total")

    public init() {}

    func add(steps: Int) {
        counts.withLock { $0.steps += steps; $0.rulings += 1 }
        stepsCounter.increment(by: steps)
        rulingsCounter.increment()
    }

    public var steps: Int { counts.withLock { $0.steps } }
    public var rulings: Int { counts.withLock { $0.rulings } }
}
