extension Lease {
    /// A new running lease for the winning `bid` of `order`.
    static func award(
        id: UInt64, order: Order, bid: Bid, payment: Amount, beaconCommitment: String, now: Timestamp, policy: MarketPolicy
    ) -> Lease {
        Lease(
            id: id, order: order.id, provider: bid.provider, submitter: order.submitter, manifestHash: order.manifestHash,
            payment: payment, collateral: order.manifest.verification.collateral, startedAt: now,
            deadline: now.adding(seconds: order.manifest.deadlineSeconds),
            heartbeatDeadline: now.adding(seconds: policy.heartbeatGraceSeconds),
            challengeWindowSeconds: order.manifest.verification.challengeWindowSeconds,
            beaconCommitment: beaconCommitment, state: .running, lastStep: 0, lastLoss: nil, commitment: nil, windowEndsAt: nil
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

    /// Records the provider's commitment and opens the challenge window.
    public mutating func commit(
        _ commitment: LeaseCommitment, by actor: AccountID, now: Timestamp
    ) throws(MarketError) -> [MarketAction] {
        try requireProvider(actor)
        guard commitment.lease == id else { throw .wrongState("the commitment names lease \(commitment.lease), not \(id)") }
        guard state == .running else { throw .wrongState("lease \(id) is \(state.rawValue); a commitment is accepted once, while running") }
        guard now < deadline else { throw .wrongState("lease \(id) passed its deadline at \(deadline)") }
        guard commitment.leafCount > 0 else { throw .wrongState("a commitment needs at least one leaf") }
        self.commitment = commitment
        state = .committed
        let windowEnds = now.adding(seconds: challengeWindowSeconds)
        windowEndsAt = windowEnds
        return [.startVerification(lease: id), .scheduleSettlement(lease: id, at: windowEnds)]
    }

    /// Advances the lease on its clock: fails a silent or late provider, settles an unchallenged one.
    public mutating func check(now: Timestamp, policy: MarketPolicy) throws(MarketError) -> [MarketAction] {
        switch state {
        case .running where now >= deadline || now >= heartbeatDeadline:
            return try fail(now: now, policy: policy)
        case .committed where now >= (windowEndsAt ?? deadline):
            return try settle(policy: policy)
        default:
            return []
        }
    }

    /// The verification seam: a fraud proof (from the auditor or a won dispute) slashes the provider.
    /// `challenger` is who proved it; the controller's audit pool when its own auditor did.
    public mutating func proveFraud(challenger: AccountID, now: Timestamp, policy: MarketPolicy) throws(MarketError) -> [MarketAction] {
        guard state == .committed || state == .running else {
            throw .wrongState("lease \(id) is \(state.rawValue); only a running or committed lease can be slashed")
        }
        state = .slashed
        return [
            .refundEscrow(order: order, owner: submitter, amount: payment),
            .slash(lease: id, provider: provider, collateral: collateral, challenger: challenger, submitter: submitter),
            .reputation(provider: provider, event: .slashed),
            .jail(provider: provider, until: now.adding(seconds: policy.jailSeconds)),
        ]
    }

    private mutating func fail(now: Timestamp, policy: MarketPolicy) throws(MarketError) -> [MarketAction] {
        state = .failed
        let penalty: Amount
        do { penalty = try collateral.basisPoints(policy.livenessPenaltyBasisPoints) } catch { throw .amount(error) }
        return [
            .refundEscrow(order: order, owner: submitter, amount: payment),
            .penalize(lease: id, provider: provider, collateral: collateral, penalty: penalty, beneficiary: submitter),
            .reputation(provider: provider, event: .missedDeadline),
        ]
    }

    private mutating func settle(policy: MarketPolicy) throws(MarketError) -> [MarketAction] {
        state = .settled
        let fee: Amount
        do { fee = try payment.basisPoints(policy.feeBasisPoints) } catch { throw .amount(error) }
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
