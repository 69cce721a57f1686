import Foundation

/// The verification commands (DESIGN sections 7 and 8): the commitment, the beacon reveal, audit
/// findings, and the dispute game. Fraud is reachable only from here: a failed audit check or a
/// dispute the challenger won. Each command is all-or-nothing like every other.
extension Marketplace {
    // MARK: - Commitment and audit

    /// Records a provider's signed commitment after checking its signature and its trace (the
    /// artifact named by `traceHash`), so a recorded commitment is always self-consistent.
    public mutating func commit(
        _ signed: Signed<Commitment>, trace: Data, lease leaseID: LeaseID, by provider: AccountID, now: Timestamp
    ) throws(MarketplaceError) -> MarketChange {
        guard signed.signer == provider else { throw .market(.notYours("the commitment must be signed by the account posting it")) }
        guard let current = leases[leaseID] else { throw missing(lease: leaseID) }
        guard current.provider == provider else { throw .market(.notYours("lease \(leaseID) belongs to provider \(current.provider.short)")) }
        guard current.state == .running else {
            throw .market(.wrongState("lease \(leaseID) is \(current.state.rawValue); a commitment is accepted once, while running"))
        }
        let commitment: Commitment
        do { commitment = try signed.verified() } catch { throw .invalid("the commitment's own signature does not verify: \(error)") }
        // The schedule must be the job's, or a provider could commit to a shorter job and be paid for it.
        if let manifest = orders[current.order]?.manifest, let problem = commitment.scheduleProblem(for: manifest) {
            throw .invalid(problem)
        }
        do { _ = try commitment.check(trace: trace) } catch { throw .invalid("the commitment does not match its trace: \(error)") }
        return try onLease(leaseID, now: now) { lease, _ throws(MarketError) in
            try lease.commit(signed, commitment, by: provider, now: now)
        }
    }

    /// Reveals a committed lease's beacon secret and draws its audit sample.
    public mutating func revealBeacon(lease leaseID: LeaseID, secret: String, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        try onLease(leaseID, now: now) { lease, policy throws(MarketError) in try lease.revealBeacon(secret, now: now, policy: policy) }
    }

    /// Records one finished audit check; a failed one slashes the lease and voids its open disputes.
    public mutating func recordAudit(_ check: AuditCheck, lease leaseID: LeaseID, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        try onAudit(leaseID, now: now) { lease, policy throws(MarketError) in try lease.record(check, now: now, policy: policy) }
    }

    /// Records a replicated lease's comparison with its sibling; a failed one slashes the lease.
    public mutating func recordReplicaCheck(_ comparison: ReplicaComparison, lease leaseID: LeaseID, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        try onAudit(leaseID, now: now) { lease, policy throws(MarketError) in try lease.recordReplica(comparison, now: now, policy: policy) }
    }

    /// A lease event from the auditor: like any lease event, and a slash also voids the lease's
    /// open disputes, returning their bonds.
    private mutating func onAudit(
        _ leaseID: LeaseID, now: Timestamp, _ event: (inout Lease, MarketPolicy) throws(MarketError) -> [MarketAction]
    ) throws(MarketplaceError) -> MarketChange {
        try transaction(now: now) { draft, change throws(MarketplaceError) in
            change.merge(try draft.onLease(leaseID, now: now, event))
            if draft.leases[leaseID]?.state == .slashed { try draft.voidDisputes(of: leaseID, now: now, into: &change) }
        }
    }

    // MARK: - Disputes

    /// Opens a dispute on segment `segment` of a committed lease. `claim` is the challenger's hash
    /// for leaf `segment + 1`; `trace` is the lease's trace artifact, checked against the signed
    /// commitment, from which the provider's two leaf hashes are read.
    public mutating func openDispute(
        lease leaseID: LeaseID, segment: Int, claim: String, trace: Data, by challenger: AccountID, now: Timestamp
    ) throws(MarketplaceError) -> (Dispute, MarketChange) {
        guard let lease = leases[leaseID] else { throw missing(lease: leaseID) }
        guard let commitment = lease.commitment else {
            throw .market(.wrongState("lease \(leaseID) is \(lease.state.rawValue); only a committed lease can be disputed"))
        }
        guard lease.isUnderVerification, let windowEndsAt = lease.windowEndsAt, now < windowEndsAt else {
            throw .market(.wrongState("lease \(leaseID) is \(lease.state.rawValue) and past its challenge window or final; it cannot be disputed"))
        }
        guard challenger != lease.provider else { throw .market(.notYours("a provider cannot dispute its own lease")) }
        let stake = ledger.balances(of: challenger).staked
        guard stake >= policy.challengerMinimumStake else {
            throw .market(.wrongState("a challenger needs at least \(policy.challengerMinimumStake) of free stake; \(challenger.short) has \(stake)"))
        }
        guard Hashing.isSHA256Hex(claim) else { throw .invalid("claim must be a SHA-256 in lowercase hex") }
        let hashes: [Data]
        let schedule: CheckpointSchedule
        do {
            hashes = try commitment.check(trace: trace)
            schedule = try commitment.schedule()
        } catch { throw .invalid("the lease's trace: \(error)") }
        guard (0..<schedule.segmentCount).contains(segment) else {
            throw .invalid("segment must be in 0..<\(schedule.segmentCount)")
        }
        let highHash = Hex.encode(hashes[segment + 1])
        guard claim != highHash else { throw .invalid("the claim equals the provider's leaf \(segment + 1): there is nothing to dispute") }
        let open = disputes(ofLease: leaseID).filter { !$0.isResolved }
        if let mine = open.first(where: { $0.challenger == challenger }) {
            throw .market(.wrongState("\(challenger.short) already has dispute \(mine.id) open on lease \(leaseID); one at a time per challenger"))
        }
        guard open.count < policy.maxOpenDisputesPerLease else {
            throw .market(.wrongState("lease \(leaseID) already has \(open.count) open disputes, the most allowed; try again when one ends"))
        }
        let bond: Amount
        do { bond = try policy.disputeBond(forCollateral: lease.collateral) } catch { throw .market(.amount(error)) }
        let id = counters.nextDispute
        let dispute: Dispute
        do {
            dispute = Dispute.open(
                id: id, lease: leaseID, provider: lease.provider, challenger: challenger, segment: segment, claim: claim,
                lowStep: try schedule.step(ofLeaf: segment), lowHash: Hex.encode(hashes[segment]),
                highStep: try schedule.step(ofLeaf: segment + 1), highHash: highHash, bond: bond, now: now, policy: policy
            )
        } catch { throw .invalid("segment \(segment): \(error)") }
        let change = try transaction(now: now) { draft, change throws(MarketplaceError) in
            var lease = lease
            try Self.market { () throws(MarketError) in try lease.disputeOpened(dispute, now: now) }
            draft.leases[leaseID] = lease
            draft.disputes[id] = dispute
            draft.index(dispute)
            draft.counters.nextDispute = id.next
            change.leases.insert(leaseID)
            change.disputes.insert(id)
            try draft.carryOut([
                .postBond(dispute: id, challenger: challenger, amount: bond),
                .scheduleDisputeCheck(dispute: id, at: dispute.moveDeadline ?? now),
            ], now: now, into: &change)
        }
        return (dispute, change)
    }

    /// Applies a party's move. `stateAvailable` says whether the artifact store holds the state the
    /// range starts from, which a `state` move needs.
    public mutating func moveDispute(
        _ id: DisputeID, _ move: DisputeMove, by actor: AccountID, stateAvailable: Bool, now: Timestamp
    ) throws(MarketplaceError) -> MarketChange {
        try onDispute(id, now: now) { dispute, policy throws(MarketError) in
            try dispute.apply(move, by: actor, stateAvailable: stateAvailable, now: now, policy: policy)
        }
    }

    /// Ends a dispute whose move deadline has passed against the party that missed it; a no-op
    /// change when nothing is due.
    public mutating func expireDispute(_ id: DisputeID, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        try onDispute(id, now: now) { dispute, _ throws(MarketError) in _ = dispute.expire(now: now) }
    }

    /// The referee's ruling on the one step left in a dispute.
    public mutating func ruleDispute(_ id: DisputeID, _ outcome: Dispute.RefereeOutcome, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        try onDispute(id, now: now) { dispute, _ throws(MarketError) in try dispute.rule(outcome, now: now) }
    }

    /// Ends a dispute with no winner and its bond returned, when the referee cannot execute the
    /// job's step on this controller.
    public mutating func voidDispute(_ id: DisputeID, because detail: String, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        try onDispute(id, now: now) { dispute, _ throws(MarketError) in dispute.void(now: now, because: detail, reason: .refereeUnavailable) }
    }

    /// Runs a dispute event, then carries out what it led to: a new deadline, or the resolution's
    /// money and the lease's fate.
    private mutating func onDispute(
        _ id: DisputeID, now: Timestamp, _ event: (inout Dispute, MarketPolicy) throws(MarketError) -> Void
    ) throws(MarketplaceError) -> MarketChange {
        try transaction(now: now) { draft, change throws(MarketplaceError) in
            guard var dispute = draft.disputes[id] else { throw draft.missing(dispute: id) }
            let wasResolved = dispute.isResolved
            try Self.market { () throws(MarketError) in try event(&dispute, draft.policy) }
            draft.disputes[id] = dispute
            change.disputes.insert(id)
            if !wasResolved, dispute.isResolved {
                try draft.resolve(dispute, now: now, into: &change)
            } else if !dispute.isResolved {
                try draft.carryOut([.scheduleDisputeCheck(dispute: id, at: dispute.moveDeadline ?? now)], now: now, into: &change)
            }
        }
    }

    /// The consequences of a resolved dispute (DESIGN section 8): a won dispute slashes the lease
    /// (40% of the collateral to this challenger) and returns its bond, and every other open
    /// dispute on the lease ends with its bond returned; a lost one forfeits the bond, half to the
    /// provider and half burned; a voided one returns the bond.
    private mutating func resolve(_ dispute: Dispute, now: Timestamp, into change: inout MarketChange) throws(MarketplaceError) {
        guard var lease = leases[dispute.lease], let ruling = dispute.ruling else { throw .notFound("lease \(dispute.lease)") }
        let policy = self.policy
        switch ruling.winner {
        case .challenger:
            try carryOut([.returnBond(dispute: dispute.id, challenger: dispute.challenger)], now: now, into: &change)
            var actions: [MarketAction] = []
            if lease.isUnderVerification {
                lease.openDisputes.removeAll { $0 == dispute.id }
                actions = try Self.market { () throws(MarketError) in
                    try lease.slash(
                        challenger: dispute.challenger,
                        because: "dispute \(dispute.id) on segment \(dispute.segment) proved fraud: \(ruling.detail)", now: now, policy: policy
                    )
                }
            }
            leases[lease.id] = lease
            change.leases.insert(lease.id)
            try carryOut(actions, now: now, into: &change)
            try voidDisputes(of: lease.id, now: now, into: &change)
        case .provider:
            try carryOut([.forfeitBond(dispute: dispute.id, challenger: dispute.challenger, provider: dispute.provider)], now: now, into: &change)
            let actions = try Self.market { () throws(MarketError) in try lease.disputeClosed(dispute, now: now, policy: policy) }
            leases[lease.id] = lease
            change.leases.insert(lease.id)
            try carryOut(actions, now: now, into: &change)
        case nil:
            try carryOut([.returnBond(dispute: dispute.id, challenger: dispute.challenger)], now: now, into: &change)
            var actions: [MarketAction] = []
            if lease.isUnderVerification {
                // A live lease (the referee could not rule): back to waiting, and settled if due.
                actions = try Self.market { () throws(MarketError) in try lease.disputeClosed(dispute, now: now, policy: policy) }
            } else {
                lease.openDisputes.removeAll { $0 == dispute.id }
            }
            leases[lease.id] = lease
            change.leases.insert(lease.id)
            try carryOut(actions, now: now, into: &change)
        }
    }

    /// Ends every open dispute on a slashed lease with its bond returned.
    mutating func voidDisputes(of leaseID: LeaseID, now: Timestamp, into change: inout MarketChange) throws(MarketplaceError) {
        for var dispute in disputes(ofLease: leaseID) where !dispute.isResolved {
            dispute.void(now: now, because: "lease \(leaseID) was already proven fraudulent; the bond is returned")
            disputes[dispute.id] = dispute
            change.disputes.insert(dispute.id)
            try resolve(dispute, now: now, into: &change)
        }
    }
}
