/// What a restarted controller owes the parties it could not hear while it was down.
extension Marketplace {
    /// Gives every time limit that fell due, or is about to, while the controller was down a fresh
    /// allowance from `now`: a heartbeat, a commitment, a state upload, a dispute move. Nobody
    /// loses a lease, a dispute or their collateral for a moment the controller could not answer.
    /// Limits further away are left as they are. The shell runs this once, at start.
    public mutating func resume(now: Timestamp) -> MarketChange {
        var change = MarketChange()
        for (id, var lease) in leases where !lease.isFinal {
            let grace = now.adding(seconds: policy.heartbeatGraceSeconds)
            if lease.state == .running {
                lease.heartbeatDeadline = max(lease.heartbeatDeadline, grace)
                lease.deadline = max(lease.deadline, grace)
            }
            if var audit = lease.audit, !audit.isSettled {
                audit.availableUntil = max(audit.availableUntil, now.adding(seconds: policy.availabilitySeconds))
                lease.audit = audit
            }
            if lease != leases[id] {
                leases[id] = lease
                change.leases.insert(id)
            }
            // Every clock this lease depends on is armed again, so none lost to a failure before
            // the restart can leave its money locked.
            change.deadlines.append(Deadline(kind: .leaseCheck, subject: id.rawValue, at: lease.nextCheck))
            if lease.isUnderVerification && lease.audit == nil {
                change.deadlines.append(Deadline(kind: .beaconReveal, subject: id.rawValue, at: now))
            }
        }
        let moveBy = now.adding(seconds: policy.disputeMoveSeconds)
        for (id, var dispute) in disputes where !dispute.isResolved {
            if let deadline = dispute.moveDeadline, deadline < moveBy {
                dispute.extendMoveDeadline(to: moveBy)
                disputes[id] = dispute
                change.disputes.insert(id)
            }
            change.deadlines.append(Deadline(kind: .disputeCheck, subject: id.rawValue, at: dispute.moveDeadline ?? now))
        }
        return change
    }
}
