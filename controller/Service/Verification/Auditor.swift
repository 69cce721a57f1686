import Foundation
import Logging
import ServiceLifecycle
import TenderCore
import TenderWorkloads

/// The controller's built-in auditor (DESIGN section 7), a `Service` in the controller's group.
///
/// For every lease whose beacon is revealed it takes the sampled segments still unchecked, fetches
/// each state from the artifact store, checks it against its leaf with an inclusion proof,
/// re-executes the segment with `WorkloadRunner` on a compute thread and compares bit for bit; it
/// also checks the result hash against the final state. Each finished check is recorded through
/// the market (`recordAudit`), so progress survives a restart and a failed check slashes at once.
/// A state still missing after the availability deadline is recorded as unavailable: fraud.
public struct Auditor: Service {
    let service: MarketService
    let runners: JobRunners
    let budget: AuditBudget
    let interval: Duration
    let logger: Logger

    init(service: MarketService, runners: JobRunners, budget: AuditBudget, interval: Duration = .milliseconds(250), logger: Logger) {
        self.service = service
        self.runners = runners
        self.budget = budget
        self.interval = interval
        var logger = logger
        logger[metadataKey: "component"] = "auditor"
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await tick()
            try? await Task.sleep(for: interval)
        }
    }

    /// Works on every lease with unfinished audit checks, up to the budget's concurrency.
    func tick() async {
        let market = await service.market
        let work = market.leases.values
            .filter { $0.isUnderVerification && $0.audit.map { !$0.isComplete } == true }
            .sorted { $0.id < $1.id }
        guard !work.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for lease in work {
                guard let order = market.orders[lease.order] else { continue }
                if running == budget.concurrentAudits {
                    await group.next()
                    running -= 1
                }
                group.addTask { await audit(lease, order: order) }
                running += 1
            }
        }
    }

    /// Runs the pending checks of one lease, one at a time, stopping at the first fraud.
    func audit(_ lease: Lease, order: Order) async {
        guard let commitment = lease.commitment, let audit = lease.audit else { return }
        let artifacts = runners.artifacts
        let trace: [Data]
        let tree: MerkleTree
        do {
            guard let bytes = try artifacts.get(commitment.traceHash) else {
                logger.error("the trace of a recorded commitment is missing from the store", metadata: ["lease": "\(lease.id)"])
                return
            }
            trace = try commitment.check(trace: bytes)
            tree = try MerkleTree(stateHashes: trace)
        } catch {
            logger.error("cannot read the lease's trace", metadata: ["lease": "\(lease.id)", "error": "\(error)"])
            return
        }
        let isExec = if case .exec = order.manifest.workload { true } else { false }
        if !budget.enabled || (isExec && !budget.runExec) {
            let why = budget.enabled ? "exec programs are not re-executed by this controller" : "this controller's auditor is off"
            for segment in audit.pendingSegments {
                guard await record(AuditCheck(segment: segment, verdict: .waived, detail: why, at: service.now), lease: lease.id) else { return }
            }
            if !audit.resultChecked {
                _ = await record(AuditCheck(segment: nil, verdict: .waived, detail: why + "; challengers judge this lease", at: service.now), lease: lease.id)
            }
            return
        }
        let runner: WorkloadRunner
        do { runner = try runners.runner(for: order) } catch {
            logger.error("cannot build the job's workload; the audit waits", metadata: ["lease": "\(lease.id)", "error": "\(error)"])
            return
        }
        for segment in audit.pendingSegments {
            let stateHash = Hex.encode(trace[segment])
            let state = try? artifacts.get(stateHash)
            if state == nil && service.now < audit.availableUntil { return }  // may still arrive; next tick
            let now = service.now
            let (check, elapsed) = await timed {
                SegmentAudit.check(segment: segment, state: state, trace: trace, tree: tree, commitment: commitment, runner: runner, at: now)
            }
            guard await record(check, lease: lease.id) else { return }
            if check.verdict.isFraud { return }
            await pause(after: elapsed)
        }
        if !audit.resultChecked {
            let final = try? artifacts.get(commitment.finalStateHash)
            if final == nil && service.now < audit.availableUntil { return }
            let now = service.now
            let (check, _) = await timed { SegmentAudit.checkResult(finalState: final, commitment: commitment, runner: runner, at: now) }
            _ = await record(check, lease: lease.id)
        }
    }

    /// Records a check; false when the market refused it (the lease moved on meanwhile).
    private func record(_ check: AuditCheck, lease: UInt64) async -> Bool {
        do {
            try await service.perform { market, now throws(MarketplaceError) in ((), try market.recordAudit(check, lease: lease, now: now)) }
            let what = check.segment.map { "segment \($0)" } ?? "result"
            if check.verdict.isFraud {
                logger.warning("audit found fraud", metadata: ["lease": "\(lease)", "check": "\(what)", "verdict": "\(check.verdict.rawValue)", "detail": "\(check.detail)"])
            } else {
                logger.debug("audit check", metadata: ["lease": "\(lease)", "check": "\(what)", "verdict": "\(check.verdict.rawValue)"])
            }
            return true
        } catch {
            logger.notice("audit check not recorded", metadata: ["lease": "\(lease)", "error": "\(error)"])
            return false
        }
    }

    private func timed(_ work: @escaping @Sendable () -> AuditCheck) async -> (AuditCheck, Duration) {
        await ComputeThread.run(name: "tender-audit") {
            let start = ContinuousClock.now
            let check = work()
            return (check, ContinuousClock.now - start)
        }
    }

    /// Keeps the auditor to its CPU share: after `elapsed` of compute, rest `elapsed * (1 - s) / s`.
    private func pause(after elapsed: Duration) async {
        guard budget.cpuShare < 1 else { return }
        try? await Task.sleep(for: elapsed * ((1 - budget.cpuShare) / budget.cpuShare))
    }
}
