import Foundation
import TenderCore
import TenderWorkloads

/// A challenger (DESIGN section 7): re-executes segments of other providers' committed leases and
/// disputes the ones that do not check out, playing each dispute to its ruling.
///
/// It runs the same code as the controller's auditor (`SegmentAudit`) and as an honest party in
/// the dispute game (`DisputePlayer`), on inputs it fetched and checked itself. It picks its
/// segments with its own generator, so a provider cannot tell which ones it will be checked on.
/// A state missing from the artifact store is reported, never disputed: a dispute needs a hash to
/// claim; a controller whose auditor runs counts a missing state as fraud itself (with `audit.enabled: false` nobody does).
///
/// Of several mismatches on one lease, the earliest is disputed first and the next only if that
/// dispute is lost: one won dispute slashes the lease, so a second bond would buy nothing.
public struct Challenger: Sendable {
    /// Signs the disputes and moves: its key is the challenger's staked account.
    public let client: TenderAPIClient
    /// Where the jobs' inputs are kept (`JobInputs`).
    public let cache: URL
    /// How an `exec` job's program runs when this challenger re-executes it.
    public let exec: ExecIsolation
    /// How long to wait between two reads of a dispute whose move is the provider's.
    public let pollInterval: Duration
    /// Polls in a row that may find the controller unreachable during a dispute before giving up.
    public let patience: Int
    /// The clock stamped on audit checks.
    public let now: @Sendable () -> Timestamp
    /// Told of each step as it happens.
    public let observer: @Sendable (ChallengeEvent) -> Void

    public init(
        client: TenderAPIClient, cache: URL, exec: ExecIsolation, pollInterval: Duration = .seconds(2), patience: Int = 150,
        now: @escaping @Sendable () -> Timestamp = { Challenger.systemNow() },
        observer: @escaping @Sendable (ChallengeEvent) -> Void = { _ in }
    ) {
        self.client = client
        self.cache = cache
        self.exec = exec
        self.pollInterval = pollInterval
        self.patience = patience
        self.now = now
        self.observer = observer
    }

    /// The system clock, in whole milliseconds.
    public static func systemNow() -> Timestamp {
        Timestamp(millis: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// The challenger's account: the client's key.
    public func account() throws(ChallengeError) -> AccountID {
        guard let account = client.account else { throw .client(.missingKey(request: "POST /v1/leases/{id}/disputes")) }
        return account
    }

    // MARK: - Checking a lease

    /// The segments to check on `lease`: `samples` of them, drawn with `generator`.
    public static func segments(
        for lease: API.LeaseView, samples: Int, using generator: inout some RandomNumberGenerator
    ) throws(ChallengeError) -> [Int] {
        let schedule: CheckpointSchedule
        do { schedule = try LeaseEvidence.commitment(of: lease).schedule() } catch let error as ChallengeError {
            throw error
        } catch {
            throw .badCommitment(lease: lease.id, "\(error)")
        }
        return SegmentChoice.draw(count: samples, of: schedule.segmentCount, using: &generator)
    }

    /// Checks `samples` segments of `lease` of this challenger's choosing and disputes a mismatch.
    public func check(
        _ lease: API.LeaseView, samples: Int, using generator: inout some RandomNumberGenerator
    ) async throws(ChallengeError) -> ChallengeReport {
        let segments = try Self.segments(for: lease, samples: samples, using: &generator)
        return try await check(lease, segments: segments)
    }

    /// Re-executes each of `segments` of `lease`, then disputes the earliest mismatch (and the next
    /// one only if that dispute is lost) and plays it to its ruling.
    public func check(_ lease: API.LeaseView, segments: [Int]) async throws(ChallengeError) -> ChallengeReport {
        let evidence = try await LeaseEvidence.gather(lease, client: client, cache: cache, exec: exec)
        var checks: [AuditCheck] = []
        var starts: [Int: Data] = [:]
        for segment in Set(segments).sorted() {
            guard segment >= 0, segment < evidence.segmentCount else {
                throw .segmentOutOfRange(segment: segment, segmentCount: evidence.segmentCount)
            }
            let state = try await evidence.state(ofLeaf: segment, client: client)
            let check = SegmentAudit.check(
                segment: segment, state: state, trace: evidence.trace, tree: evidence.tree, commitment: evidence.commitment,
                runner: evidence.runner, at: now()
            )
            if check.verdict == .mismatch { starts[segment] = state }
            checks.append(check)
        }
        observer(.checked(lease: lease.id, provider: lease.provider, segmentCount: evidence.segmentCount, checks: checks))
        var report = ChallengeReport(
            lease: lease.id, order: lease.order, provider: lease.provider, segmentCount: evidence.segmentCount, checks: checks
        )
        let mismatches = checks.filter { $0.verdict == .mismatch }
        guard !mismatches.isEmpty else { return report }
        report.availableBefore = try await available()
        for check in mismatches {
            guard let segment = check.segment, let claim = check.computed, let state = starts[segment] else { continue }
            if let decided = report.disputes.last(where: { !$0.lost }) {
                note("segment \(segment) also mismatches; not disputed, dispute \(decided.dispute.id) already decided the lease", lease: lease.id, in: &report)
                break
            }
            do {
                let outcome = try await contest(evidence, segment: segment, claim: claim, state: state)
                report.disputes.append(outcome)
            } catch {
                // The controller would not open it (the lease was slashed or settled meanwhile, the
                // stake or the balance is short): say so and go on; anything else is an error.
                guard case .disputeRefused(_, _, let refused) = error else { throw error }
                note("could not dispute segment \(segment): \(refused.description)", lease: lease.id, in: &report)
            }
        }
        report.availableAfter = try await available()
        return report
    }

    // MARK: - Disputing one segment

    /// `tender challenge dispute LEASE --segment I`: re-executes segment `segment` of `leaseID`,
    /// and when it does not give the provider's hash, disputes it with the hash it did give and
    /// plays the game to its ruling. An open dispute of this challenger's on that segment is
    /// picked up instead of opening a second one.
    ///
    /// Throws `.segmentChecksOut` when re-execution agrees with the provider, `.stateUnavailable`
    /// when the segment's start state is not in the store, and `.noClaim` when re-execution gives
    /// no hash (the served state does not run).
    public func dispute(lease leaseID: LeaseID, segment: Int) async throws(ChallengeError) -> ChallengeReport {
        let lease: API.LeaseView
        do { lease = try await client.lease(leaseID) } catch { throw .client(error) }
        _ = try account()
        let evidence = try await LeaseEvidence.gather(lease, client: client, cache: cache, exec: exec)
        guard segment >= 0, segment < evidence.segmentCount else {
            throw .segmentOutOfRange(segment: segment, segmentCount: evidence.segmentCount)
        }
        guard let state = try await evidence.state(ofLeaf: segment, client: client) else {
            throw .stateUnavailable(lease: leaseID, segment: segment)
        }
        let check = SegmentAudit.check(
            segment: segment, state: state, trace: evidence.trace, tree: evidence.tree, commitment: evidence.commitment,
                runner: evidence.runner, at: now()
        )
        observer(.checked(lease: leaseID, provider: lease.provider, segmentCount: evidence.segmentCount, checks: [check]))
        switch check.verdict {
        case .passed:
            throw .segmentChecksOut(lease: leaseID, segment: segment, hash: check.computed ?? evidence.stateHash(ofLeaf: segment + 1))
        case .unavailable:
            throw .stateUnavailable(lease: leaseID, segment: segment)
        case .invalid, .waived:
            throw .noClaim(lease: leaseID, segment: segment, check.verdict, check.detail)
        case .mismatch:
            break
        }
        guard let claim = check.computed else { throw .noClaim(lease: leaseID, segment: segment, check.verdict, check.detail) }
        var report = ChallengeReport(
            lease: leaseID, order: lease.order, provider: lease.provider, segmentCount: evidence.segmentCount, checks: [check]
        )
        report.availableBefore = try await available()
        let outcome = try await contest(evidence, segment: segment, claim: claim, state: state)
        report.disputes.append(outcome)
        report.availableAfter = try await available()
        return report
    }

    /// Plays an open dispute of this challenger's to its ruling: what a restarted `watch` does
    /// with the games it left.
    public func resume(_ dispute: API.DisputeView) async throws(ChallengeError) -> DisputeOutcome {
        let lease: API.LeaseView
        do { lease = try await client.lease(dispute.lease) } catch { throw .client(error) }
        guard dispute.ruling == nil else { return DisputeOutcome(dispute, collateral: lease.collateral) }
        let evidence = try await LeaseEvidence.gather(lease, client: client, cache: cache, exec: exec)
        guard dispute.segment >= 0, dispute.segment < evidence.segmentCount else {
            throw .segmentOutOfRange(segment: dispute.segment, segmentCount: evidence.segmentCount)
        }
        guard let state = try await evidence.state(ofLeaf: dispute.segment, client: client) else {
            throw .stateUnavailable(lease: lease.id, segment: dispute.segment)
        }
        observer(.opened(dispute, resumed: true))
        return try await finish(dispute, evidence: evidence, state: state)
    }

    /// Opens a dispute on `segment` claiming `claim` (or picks up this challenger's open one on
    /// it) and plays it to the ruling. `state` is the provider's state at the segment's start.
    func contest(_ evidence: LeaseEvidence, segment: Int, claim: String, state: Data) async throws(ChallengeError) -> DisputeOutcome {
        let me = try account()
        let lease = evidence.lease.id
        let open: API.DisputeList
        do { open = try await client.disputes(lease: lease, account: me, openOnly: true) } catch { throw .client(error) }
        let view: API.DisputeView
        if let existing = open.disputes.first(where: { $0.segment == segment && $0.challenger == me && $0.ruling == nil }) {
            view = existing
            observer(.opened(view, resumed: true))
        } else {
            do {
                view = try await client.openDispute(lease: lease, segment: segment, claim: claim)
            } catch {
                throw error.status == nil ? ChallengeError.client(error) : ChallengeError.disputeRefused(lease: lease, segment: segment, error)
            }
            observer(.opened(view, resumed: false))
        }
        return try await finish(view, evidence: evidence, state: state)
    }

    /// Plays `view` with an honest challenger's player to the ruling and reports it.
    func finish(_ view: API.DisputeView, evidence: LeaseEvidence, state: Data) async throws(ChallengeError) -> DisputeOutcome {
        let startStep: Int
        do { startStep = try evidence.schedule.step(ofLeaf: view.segment) } catch {
            throw .segmentOutOfRange(segment: view.segment, segmentCount: evidence.segmentCount)
        }
        // Segment 0 is played from the job's own initial state, which anyone can compute: the
        // provider's leaf 0 is one of the claims in question there.
        let start = view.segment == 0 ? ((try? evidence.runner.initialState().bytes) ?? state) : state
        let player = DisputePlayer(runner: evidence.runner, side: .challenger, startState: start, startStep: startStep)
        let final = try await play(view, with: player)
        let outcome = DisputeOutcome(final, collateral: evidence.lease.collateral)
        observer(.ruled(outcome))
        return outcome
    }

    // MARK: - Helpers

    /// The challenger's available balance.
    func available() async throws(ChallengeError) -> Amount {
        let me = try account()
        do { return try await client.account(me).balances.available } catch { throw .client(error) }
    }

    private func note(_ text: String, lease: LeaseID, in report: inout ChallengeReport) {
        report.notes.append(text)
        observer(.note(lease: lease, text))
    }
}
