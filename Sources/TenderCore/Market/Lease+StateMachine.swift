import Foundation

extension Lease {
    /// A new running lease for the winning `bid` of `order`.
    static func award(
        id: LeaseID, order: Order, bid: Bid, payment: Amount, beaconCommitment: String, now: Timestamp, policy: MarketPolicy
    ) -> Lease {
        Lease(
            id: id, order: order.id, provider: bid.provider, submitter: order.submitter, manifestHash: order.manifestHash,
            payment: payment, collateral: order.manifest.verification.collateral, startedAt: now,
            deadline: now.adding(seconds: order.manifest.deadlineSeconds),
            heartbeatDeadline: now.adding(seconds: policy.heartbeatGraceSeconds),
            challengeWindowSeconds: order.manifest.verification.challengeWindowSeconds,
            samples: order.manifest.verification.samples,
            beaconCommitment: beaconCommitment, state: .running, lastStep: 0, lastLoss: nil,
            commitment: nil, signedCommitment: nil, committedAt: nil, windowEndsAt: nil, audit: nil, openDisputes: [],
            timeline: [LeaseEvent(at: now, kind: .awarded, detail: "won order \(order.id) at \(payment)", amount: payment)],
            endedAt: nil
        )
    }

    /// Progress from the provider: keeps the lease alive for another grace period.
    public mutating func heartbeat(
        by actor: AccountID, step: Int64, loss: Double?, now: Timestamp, policy: MarketPolicy
    ) throws(MarketError) -> [MarketAction] {
        try requireProvider(actor)
        guard state == .running else { throw .wrongState("lease \(id) is \(state.rawValue), not running") }
        guard now < deadline else { throw .wrongState("lease \(id) passed its deadline") }
        guard step >= lastStep else { throw .wrongState("step \(step) is before the last reported step \(lastStep)") }
        lastStep = step
        lastLoss = loss
        heartbeatDeadline = now.adding(seconds: policy.heartbeatGraceSeconds)
        return [.scheduleLeaseCheck(lease: id, at: nextCheck)]
    }

    /// Records the provider's signed commitment and opens the challenge window. The caller has
    /// checked the signature, its signer and the trace (`Commitment.check(trace:)`).
    mutating func commit(
        _ signed: Signed<Commitment>, _ commitment: Commitment, by actor: AccountID, now: Timestamp
    ) throws(MarketError) -> [MarketAction] {
        try requireProvider(actor)
        guard commitment.lease == id else { throw .wrongState("the commitment names lease \(commitment.lease), not \(id)") }
        guard state == .running else { throw .wrongState("lease \(id) is \(state.rawValue); a commitment is accepted once, while running") }
        guard now < deadline else { throw .wrongState("lease \(id) passed its deadline at \(deadline)") }
        guard commitment.leafCount > 1 else { throw .wrongState("a commitment needs the initial state and at least one more leaf") }
        self.commitment = commitment
        signedCommitment = signed
        committedAt = now
        state = .committed
        let windowEnds = now.adding(seconds: challengeWindowSeconds)
        windowEndsAt = windowEnds
        timeline.append(LeaseEvent(
            at: now, kind: .committed,
            detail: "root \(commitment.root.prefix(12))… over \(commitment.leafCount) leaves; the challenge window is open for \(challengeWindowSeconds)s"
        ))
        return [.scheduleBeaconReveal(lease: id, at: now), .scheduleSettlement(lease: id, at: windowEnds)]
    }

    /// Reveals the beacon secret and draws the audit sample from the seed.
    mutating func revealBeacon(_ secret: String, now: Timestamp, policy: MarketPolicy) throws(MarketError) -> [MarketAction] {
        guard state == .committed || (state == .disputed && audit == nil), let commitment, let committedAt else {
            throw .wrongState("lease \(id) is \(state.rawValue); the beacon is revealed once, after the commitment")
        }
        guard Beacon.opens(beaconCommitment, with: secret) else {
            throw .wrongState("the secret does not open lease \(id)'s beacon commitment")
        }
        let seed: Data
        do { seed = try Beacon.seed(manifestHash: manifestHash, root: commitment.root, secret: secret) } catch {
            throw .wrongState("lease \(id): \(error)")
        }
        let segmentCount = commitment.leafCount - 1
        let segments = AuditSample.draw(seed: seed, segments: segmentCount, count: samples)
        audit = LeaseAudit(
            secret: secret, seed: Hex.encode(seed), segments: segments, segmentCount: segmentCount,
            availableUntil: committedAt.adding(seconds: policy.availabilitySeconds), checks: []
        )
        if state == .committed { state = .auditing }
        timeline.append(LeaseEvent(
            at: now, kind: .beaconRevealed, detail: "beacon revealed; auditing \(segments.count) of \(segmentCount) segments and the result"
        ))
        return []
    }

    /// Records one finished audit check. A failed check is a fraud proof and slashes the lease,
    /// with the slash's challenger share going to the audit pool.
    mutating func record(_ check: AuditCheck, now: Timestamp, policy: MarketPolicy) throws(MarketError) -> [MarketAction] {
        guard isUnderVerification, var audit else { throw .wrongState("lease \(id) is \(state.rawValue) and has no audit running") }
        if let segment = check.segment {
            guard audit.pendingSegments.contains(segment) else {
                throw .wrongState("segment \(segment) of lease \(id) is not sampled or already checked")
            }
        } else {
            guard !audit.resultChecked else { throw .wrongState("the result of lease \(id) is already checked") }
        }
        if check.verdict == .unavailable && now < audit.availableUntil {
            throw .wrongState("states of lease \(id) may still arrive until \(audit.availableUntil)")
        }
        guard !audit.passed else { throw .wrongState("the audit of lease \(id) has already passed") }
        audit.checks.append(check)
        self.audit = audit
        if check.verdict.isFraud {
            let what = check.segment.map { "segment \($0)" } ?? "the result"
            timeline.append(LeaseEvent(at: now, kind: .auditFailed, detail: "audit of \(what): \(check.verdict.rawValue): \(check.detail)"))
            return try slash(challenger: policy.auditPool, because: "the audit found \(what) \(check.verdict.rawValue)", now: now, policy: policy)
        }
        if audit.passed {
            let waived = audit.checks.filter { $0.verdict == .waived }.count
            let detail = if let replica = audit.replica, replica.rootsAgree {
                "audit passed: its root agrees with replica lease \(replica.sibling), and the result is the final state's"
            } else if waived == 0 {
                "audit passed: \(audit.segments.count) of \(audit.segmentCount) segments re-executed bit for bit, and the result matches the final state"
            } else {
                "audit waived for \(waived) of \(audit.checks.count) checks (not re-executed by the controller); challengers judge this lease"
            }
            timeline.append(LeaseEvent(at: now, kind: .auditPassed, detail: detail))
            return try settleIfDue(now: now, policy: policy)
        }
        return []
    }

    /// Records the comparison with the other replica of a replicated order: agreeing roots stand in
    /// for the sample, a wrong leaf at the first divergence is a fraud proof like any audit finding.
    mutating func recordReplica(_ comparison: ReplicaComparison, now: Timestamp, policy: MarketPolicy) throws(MarketError) -> [MarketAction] {
        guard isUnderVerification, var audit else { throw .wrongState("lease \(id) is \(state.rawValue) and has no audit running") }
        guard audit.replica == nil else { throw .wrongState("lease \(id) was already compared with its replica") }
        if comparison.check?.verdict == .unavailable && now < audit.availableUntil {
            throw .wrongState("states of lease \(id) may still arrive until \(audit.availableUntil)")
        }
        audit.replica = comparison
        self.audit = audit
        if let check = comparison.check, check.verdict.isFraud {
            timeline.append(LeaseEvent(at: now, kind: .auditFailed, detail: "replica check against lease \(comparison.sibling): \(check.detail)"))
            return try slash(challenger: policy.auditPool, because: "the replica check found it \(check.verdict.rawValue)", now: now, policy: policy)
        }
        // Agreeing roots stand in for the sample; the result check still decides (`record`).
        return []
    }

    /// A dispute was opened on this lease.
    mutating func disputeOpened(_ dispute: Dispute, now: Timestamp) throws(MarketError) {
        guard isUnderVerification, let windowEndsAt else { throw .wrongState("lease \(id) is \(state.rawValue); only a committed lease can be disputed") }
        guard now < windowEndsAt else { throw .wrongState("lease \(id)'s challenge window closed at \(windowEndsAt)") }
        openDisputes.append(dispute.id)
        state = .disputed
        timeline.append(LeaseEvent(
            at: now, kind: .disputeOpened, detail: "\(dispute.challenger.short) disputes segment \(dispute.segment) with a bond of \(dispute.bond)",
            amount: dispute.bond, dispute: dispute.id
        ))
    }

    /// A dispute ended without proving fraud on this lease; the lease goes back to waiting for its
    /// window and audit, and settles if both are done.
    mutating func disputeClosed(_ dispute: Dispute, now: Timestamp, policy: MarketPolicy) throws(MarketError) -> [MarketAction] {
        openDisputes.removeAll { $0 == dispute.id }
        timeline.append(LeaseEvent(
            at: now, kind: .disputeClosed, detail: "dispute \(dispute.id): \(dispute.ruling?.detail ?? "closed")", dispute: dispute.id
        ))
        guard state == .disputed, openDisputes.isEmpty else { return [] }
        state = audit == nil ? .committed : .auditing
        return try settleIfDue(now: now, policy: policy)
    }

    /// Advances the lease on its clock: fails a silent or late provider, settles a checked one.
    public mutating func check(now: Timestamp, policy: MarketPolicy) throws(MarketError) -> [MarketAction] {
        switch state {
        case .running where now >= deadline || now >= heartbeatDeadline:
            return try fail(now: now, policy: policy)
        case .committed, .auditing, .disputed:
            return try settleIfDue(now: now, policy: policy)
        default:
            return []
        }
    }

    /// Proven fraud: refunds the submitter, slashes 40/10/50 and jails the provider. Reached only
    /// from an audit finding (`record`) or a won dispute (the marketplace's ruling).
    mutating func slash(challenger: AccountID, because reason: String, now: Timestamp, policy: MarketPolicy) throws(MarketError) -> [MarketAction] {
        guard isUnderVerification else { throw .wrongState("lease \(id) is \(state.rawValue); only a committed lease can be slashed") }
        state = .slashed
        endedAt = now
        timeline.append(LeaseEvent(
            at: now, kind: .slashed, detail: "\(reason); escrow refunded, collateral slashed, provider jailed", amount: collateral
        ))
        return [
            .refundEscrow(order: order, owner: submitter, amount: payment),
            .slash(lease: id, provider: provider, collateral: collateral, challenger: challenger, submitter: submitter),
            .reputation(provider: provider, event: .slashed),
            .jail(provider: provider, until: now.adding(seconds: policy.jailSeconds)),
        ]
    }

    private mutating func fail(now: Timestamp, policy: MarketPolicy) throws(MarketError) -> [MarketAction] {
        state = .failed
        endedAt = now
        let penalty: Amount
        do { penalty = try collateral.basisPoints(policy.livenessPenaltyBasisPoints) } catch { throw .amount(error) }
        let why = now >= deadline ? "no commitment by the deadline \(deadline)" : "no heartbeat since \(heartbeatDeadline.adding(seconds: -policy.heartbeatGraceSeconds))"
        timeline.append(LeaseEvent(at: now, kind: .failed, detail: "\(why); escrow refunded, liveness penalty burned", amount: penalty))
        return [
            .refundEscrow(order: order, owner: submitter, amount: payment),
            .penalize(lease: id, provider: provider, collateral: collateral, penalty: penalty),
            .reputation(provider: provider, event: .missedDeadline),
        ]
    }

    /// Settles once the window has closed, the audit has passed and no dispute is open.
    private mutating func settleIfDue(now: Timestamp, policy: MarketPolicy) throws(MarketError) -> [MarketAction] {
        guard isUnderVerification, let windowEndsAt, now >= windowEndsAt, audit?.passed == true, openDisputes.isEmpty else { return [] }
        let fee: Amount
        do { fee = try payment.basisPoints(policy.feeBasisPoints) } catch { throw .amount(error) }
        state = .settled
        endedAt = now
        timeline.append(LeaseEvent(at: now, kind: .settled, detail: "paid \(payment) less a fee of \(fee); collateral unlocked", amount: payment))
        return [
            .settle(
                lease: id, order: order, provider: provider, payment: payment, collateral: collateral,
                fee: Fee(amount: fee, burnBasisPoints: policy.feeBurnBasisPoints, treasury: policy.treasury)
            ),
            .reputation(provider: provider, event: .settled),
        ]
    }

    private func requireProvider(_ actor: AccountID) throws(MarketError) {
        guard actor == provider else { throw .notYours("lease \(id) belongs to provider \(provider.short)") }
    }
}
