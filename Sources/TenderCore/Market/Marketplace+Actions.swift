/// How the marketplace carries out the actions its state machines return.
extension Marketplace {
    /// Runs `body` on the market as one all-or-nothing change (`atomically`) and returns what it
    /// reports for the shell to persist.
    mutating func transaction(
        now: Timestamp, _ body: (inout Marketplace, inout MarketChange) throws(MarketplaceError) -> Void
    ) throws(MarketplaceError) -> MarketChange {
        try atomically { draft throws(MarketplaceError) in
            var change = MarketChange()
            try body(&draft, &change)
            return change
        }
    }

    mutating func onLease(
        _ leaseID: LeaseID, now: Timestamp, _ event: (inout Lease, MarketPolicy) throws(MarketError) -> [MarketAction]
    ) throws(MarketplaceError) -> MarketChange {
        try transaction(now: now) { draft, change throws(MarketplaceError) in
            guard var lease = draft.leases[leaseID] else { throw draft.missing(lease: leaseID) }
            let policy = draft.policy
            let actions = try Self.market { () throws(MarketError) in try event(&lease, policy) }
            draft.leases[leaseID] = lease
            change.leases.insert(leaseID)
            try draft.carryOut(actions, now: now, into: &change)
        }
    }

    static func market<T>(_ body: () throws(MarketError) -> T) throws(MarketplaceError) -> T {
        do { return try body() } catch { throw .market(error) }
    }

    mutating func ledgerApply(
        _ operation: LedgerOperation, now: Timestamp, cause: EntryCause? = nil, into change: inout MarketChange
    ) throws(MarketplaceError) {
        do {
            change.journal.append(try ledger.apply(operation, at: now, cause: cause))
        } catch {
            throw .ledger(error)
        }
    }

    mutating func carryOut(_ actions: [MarketAction], now: Timestamp, into change: inout MarketChange) throws(MarketplaceError) {
        for action in actions {
            for operation in action.ledgerOperations {
                try ledgerApply(operation, now: now, cause: action.cause, into: &change)
            }
            switch action {
            case .lockEscrow(let order, let owner, _), .refundEscrow(let order, let owner, _):
                syncEscrow(of: order, into: &change)
                change.accounts.insert(owner)
            case .settle(_, let order, let provider, _, _, _):
                syncEscrow(of: order, into: &change)
                change.accounts.insert(provider)
            case .lockCollateral(_, let provider, _),
                 .penalize(_, let provider, _, _), .slash(_, let provider, _, _, _):
                change.accounts.insert(provider)
            case .postBond(_, let challenger, _), .returnBond(_, let challenger):
                change.accounts.insert(challenger)
            case .forfeitBond(_, let challenger, let provider):
                change.accounts.formUnion([challenger, provider])
            case .scheduleAuctionClose(let order, let at):
                change.deadlines.append(Deadline(kind: .auctionClose, subject: order.rawValue, at: at))
            case .awardLease(let lease):
                if leases[lease.id] == nil { index(lease) }
                leases[lease.id] = lease
                counters.nextLease = max(counters.nextLease, lease.id.next)
                change.leases.insert(lease.id)
            case .scheduleLeaseCheck(let lease, let at), .scheduleSettlement(let lease, let at):
                change.deadlines.append(Deadline(kind: .leaseCheck, subject: lease.rawValue, at: at))
            case .reputation(let provider, let event):
                var record = account(provider)
                record.reputationBasisPoints = Reputation.apply(event, to: record.reputationBasisPoints)
                accounts[provider] = record
                change.accounts.insert(provider)
            case .jail(let provider, let until):
                var record = account(provider)
                record.jailedUntil = max(record.jailedUntil ?? until, until)
                accounts[provider] = record
                change.accounts.insert(provider)
            case .scheduleBeaconReveal(let lease, let at):
                change.deadlines.append(Deadline(kind: .beaconReveal, subject: lease.rawValue, at: at))
            case .scheduleDisputeCheck(let dispute, let at):
                change.deadlines.append(Deadline(kind: .disputeCheck, subject: dispute.rawValue, at: at))
            }
        }
    }

    /// Keeps an order's `escrow` equal to what its ledger hold still holds, so the order never
    /// shows money that has already been paid out or refunded.
    private mutating func syncEscrow(of orderID: OrderID, into change: inout MarketChange) {
        guard var order = orders[orderID] else { return }
        let remaining = ledger.hold(orderID.hold)?.remaining ?? .zero
        guard order.escrow != remaining else { return }
        order.escrow = remaining
        put(order)
        change.orders.insert(orderID)
    }
}

extension Marketplace {
    /// Runs `body` as the carrying out of `request`: every journal entry it makes carries the
    /// signed request, so the journal shows whose word moved the money.
    public mutating func onBehalf<T>(
        of request: RequestEvidence, _ body: (inout Marketplace) throws(MarketplaceError) -> T
    ) throws(MarketplaceError) -> T {
        ledger.request = request
        defer { ledger.request = nil }
        return try body(&self)
    }
}

extension MarketAction {
    /// The order, lease or dispute the action's money moves for.
    var cause: EntryCause? {
        switch self {
        case .lockEscrow(let order, _, _), .refundEscrow(let order, _, _): .order(order)
        case .lockCollateral(let lease, _, _), .settle(let lease, _, _, _, _, _), .penalize(let lease, _, _, _),
             .slash(let lease, _, _, _, _):
            .lease(lease)
        case .postBond(let dispute, _, _), .returnBond(let dispute, _), .forfeitBond(let dispute, _, _): .dispute(dispute)
        default: nil
        }
    }
}

