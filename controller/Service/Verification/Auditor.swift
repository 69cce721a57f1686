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
        // A follower's copy of the market is not the leader's: the leader audits.
        guard service.isLeading, !service.refusesItsStore else { return }
        let work = await service.read { market in
            market.leases.values
                .filter { $0.isUnderVerification && $0.audit.map { !$0.isSettled } == true }
                .sorted { $0.id < $1.id }
                .compactMap { lease -> (lease: Lease, order: Order, siblings: [Lease])? in
                    guard let order = market.orders[lease.order] else { return nil }
                    return (lease, order, market.leases(ofOrder: order.id).filter { $0.id != lease.id })
                }
        }
        guard !work.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for (lease, order, siblings) in work {
                if running == budget.concurrentAudits {
                    await group.next()
                    running -= 1
                }
                group.addTask { await audit(lease, order: order, siblings: siblings) }
                running += 1
            }
        }
    }

    /// Runs the pending checks of one lease, one at a time, stopping at the first fraud. A lease
    /// of a replicated order is first compared with its sibling; sampling is the fallback when the
    /// sibling never committed.
    func audit(_ lease: Lease, order: Order, siblings: [Lease] = []) async {
        guard let commitment = lease.commitment, let audit = lease.audit else { return }
        let artifacts = runners.artifacts
        let trace: [Data]
        do {
            guard let checked = try runners.trace(of: lease.id, commitment: commitment) else {
                logger.error("the trace of a recorded commitment is missing from the store", metadata: ["lease": "\(lease.id)"])
                return
            }
            trace = checked
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
        if order.manifest.verification.mode == .replicated, audit.replica == nil, let sibling = siblings.first {
            if sibling.state == .running { return }  // its commitment may still come
            if let other = sibling.commitment {
                await compare(lease, trace: trace, with: sibling, commitment: other, runner: runner, availableUntil: audit.availableUntil)
                return  // agreeing roots settle it; otherwise sampling goes on at the next tick
            }
            // The sibling failed without committing: this replica is sampled like any lease.
        }
        for segment in audit.segmentsToCheck {
            let stateHash = Hex.encode(trace[segment])
            let state = try? artifacts.get(stateHash)
            if state == nil && service.now < audit.availableUntil { return }  // may still arrive; next tick
            let now = service.now
            let (check, elapsed) = await timed {
                // Read by the leaf's hash from this controller's store, which checked it on arrival.
                SegmentAudit.check(
                    segment: segment, state: state, source: .contentAddressed, trace: trace, commitment: commitment,
                    runner: runner, at: now
                )
            }
            guard await record(check, lease: lease.id) else { return }
            if check.verdict.isFraud { return }
            await pause(after: elapsed)
        }
        if !audit.resultChecked {
            let final = try? artifacts.get(commitment.finalStateHash)
            if final == nil && service.now < audit.availableUntil { return }
            let now = service.now
            let (check, _) = await timed { SegmentAudit.checkResult(
                    finalState: final, commitment: commitment, runner: runner, initialStateHash: trace.first, at: now
                ) }
            _ = await record(check, lease: lease.id)
        }
    }

    /// Replicated mode: equal roots pass; otherwise the first segment where the two traces part is
    /// re-executed from the state both committed before it, and this lease is judged by its leaf.
    private func compare(
        _ lease: Lease, trace: [Data], with sibling: Lease, commitment other: Commitment, runner: WorkloadRunner, availableUntil: Timestamp
    ) async {
        guard let mine = lease.commitment else { return }
        if mine.root == other.root {
            _ = await recordReplica(ReplicaComparison(sibling: sibling.id, rootsAgree: true, check: nil), lease: lease.id)
            return
        }
        guard let otherBytes = try? runners.artifacts.get(other.traceHash), let theirs = try? other.check(trace: otherBytes) else {
            logger.error("the replica's trace is missing or does not match its commitment", metadata: ["lease": "\(sibling.id)"])
            return
        }
        let first = (0..<min(trace.count, theirs.count)).first { trace[$0] != theirs[$0] } ?? min(trace.count, theirs.count)
        let now = service.now
        let check: AuditCheck
        if first == 0 {
            let initial = (try? runner.initialState().hashHex) ?? ""
            let verdict: AuditCheck.Verdict = Hex.encode(trace[0]) == initial ? .passed : .mismatch
            check = AuditCheck(segment: nil, verdict: verdict, expected: Hex.encode(trace[0]), computed: initial,
                               detail: "the replicas part at the initial state, which is \(initial.prefix(12))…", at: now)
        } else if first >= trace.count {
            check = AuditCheck(segment: nil, verdict: .invalid, detail: "the trace is shorter than its replica's; the job has \(runner.schedule.leafCount) leaves", at: now)
        } else {
            let segment = first - 1
            let state = try? runners.artifacts.get(Hex.encode(trace[segment]))
            if state == nil && now < availableUntil { return }
            let (result, _) = await timed {
                SegmentAudit.check(segment: segment, state: state, source: .contentAddressed, trace: trace, commitment: mine, runner: runner, at: now)
            }
            check = AuditCheck(
                segment: segment, verdict: result.verdict, expected: result.expected, computed: result.computed,
                detail: "the replicas part after segment \(segment); re-executed: \(result.detail)", at: now
            )
        }
        _ = await recordReplica(ReplicaComparison(sibling: sibling.id, rootsAgree: false, check: check), lease: lease.id)
    }

    private func recordReplica(_ comparison: ReplicaComparison, lease: LeaseID) async -> Bool {
        do {
            try await service.perform { market, now throws(MarketplaceError) in ((), try market.recordReplicaCheck(comparison, lease: lease, now: now)) }
            logger.info("replica check", metadata: [
                "lease": "\(lease)", "rootsAgree": "\(comparison.rootsAgree)", "verdict": "\(comparison.check?.verdict.rawValue ?? "-")",
            ])
            return true
        } catch {
            logger.notice("replica check not recorded", metadata: ["lease": "\(lease)", "error": "\(error)"])
            return false
        }
    }

    /// Records a check; false when the market refused it (the lease moved on meanwhile).
    private func record(_ check: AuditCheck, lease: LeaseID) async -> Bool {
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
