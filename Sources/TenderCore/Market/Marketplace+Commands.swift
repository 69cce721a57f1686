/// The commands the controller runs, each all-or-nothing, each reporting what it changed.
extension Marketplace {
    // MARK: - Money

    /// Creates money (the dev faucet and genesis).
    public mutating func mint(_ amount: Amount, to account: AccountID, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        try Self.requireAcceptable(account)
        return try transaction(now: now) { draft, change throws(MarketplaceError) in
            try draft.ledgerApply(.mint(to: account, amount: amount), now: now, into: &change)
        }
    }

    public mutating func transfer(_ amount: Amount, from: AccountID, to: AccountID, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        guard from != to else { throw .invalid("a transfer needs two different accounts") }
        try Self.requireAcceptable(to)
        return try transaction(now: now) { draft, change throws(MarketplaceError) in
            try draft.ledgerApply(.transfer(from: from, to: to, amount: amount), now: now, into: &change)
        }
    }

    // MARK: - Providers

    /// Registers or replaces a provider's profile.
    public mutating func register(profile: ProviderProfile, for account: AccountID, now: Timestamp) -> MarketChange {
        var record = self.account(account)
        record.profile = profile
        accounts[account] = record
        providerIDs.insert(account)
        var change = MarketChange()
        change.accounts.insert(account)
        return change
    }

    public mutating func stake(_ amount: Amount, account: AccountID, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        try transaction(now: now) { draft, change throws(MarketplaceError) in
            try draft.ledgerApply(.stake(account: account, amount: amount), now: now, into: &change)
        }
    }

    /// Starts unbonding free stake. It matures after the unbonding period, and never before every
    /// lease the provider is on has passed its deadline and window, so no stake leaves while a job
    /// it backed could still be disputed.
    public mutating func unstake(_ amount: Amount, account: AccountID, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        var releaseAt = now.adding(seconds: unbondingSeconds)
        for lease in leases(ofProvider: account) where !lease.isFinal {
            releaseAt = max(releaseAt, lease.windowEndsAt ?? lease.deadline.adding(seconds: lease.challengeWindowSeconds))
        }
        return try transaction(now: now) { draft, change throws(MarketplaceError) in
            try draft.ledgerApply(.unbond(account: account, amount: amount, releaseAt: releaseAt), now: now, into: &change)
        }
    }

    /// Withdraws matured unbonding stake, but never while a lease the provider ran is disputed or
    /// waits past its window for an audit: the window is extended then, and so is the stake's stay.
    public mutating func withdraw(account: AccountID, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        let held = leases(ofProvider: account).filter { lease in
            lease.state == .disputed || (lease.isUnderVerification && now >= (lease.windowEndsAt ?? now))
        }
        if let lease = held.min(by: { $0.id < $1.id }) {
            let why = lease.state == .disputed ? "is disputed" : "waits past its window for its audit"
            throw .market(.wrongState("stake cannot leave while lease \(lease.id) \(why); try again once it settles"))
        }
        return try transaction(now: now) { draft, change throws(MarketplaceError) in
            try draft.ledgerApply(.withdraw(account: account), now: now, into: &change)
        }
    }

    // MARK: - Orders

    /// Opens an order and locks its escrow. Returns the change; the order id is in `change.orders`.
    ///
    /// - Parameter storedInputs: the manifest's `sha256:` inputs that the shell found in the
    ///   artifact store. Every input must be there and readable by the submitter (`checkInputs`),
    ///   and the escrow must reach `policy.minimumOrderEscrow`, so an order is never a free way to
    ///   fill the market or to hand a provider a job whose data does not exist.
    /// - Parameter inputProblem: why the shell could not build the job's workload from its stored
    ///   inputs (a dataset that is not a table of numbers, a model that does not fit the inputs),
    ///   or nil. Such an order is refused: a provider that won it could only fail at its deadline,
    ///   and pay the liveness penalty for the submitter's data.
    public mutating func submitOrder(
        manifest: JobManifest, manifestHash: String, by submitter: AccountID, storedInputs: Set<String>,
        inputProblem: String? = nil, now: Timestamp
    ) throws(MarketplaceError) -> (OrderID, MarketChange) {
        try checkInputs(of: manifest, for: submitter, stored: storedInputs)
        if let inputProblem {
            throw .invalid("the job cannot run on its inputs, so no provider could run it: \(inputProblem)")
        }
        let id = counters.nextOrder
        let minimum = policy.minimumOrderEscrow
        let change = try transaction(now: now) { draft, change throws(MarketplaceError) in
            let (order, actions) = try Self.market { () throws(MarketError) in
                try Order.submit(id: id, submitter: submitter, manifest: manifest, manifestHash: manifestHash, now: now)
            }
            guard order.escrow >= minimum else {
                throw .invalid(
                    "an order must escrow at least \(minimum) credits (pricing.maxPrice for each replica); this one escrows \(order.escrow)"
                )
            }
            draft.put(order)
            draft.ordersBySubmitter.append(id, at: submitter)
            draft.counters.nextOrder = id.next
            change.orders.insert(id)
            // The manifest and its inputs now belong to the order: the order's readers may read them.
            for hash in [manifestHash] + manifest.workload.storedInputHashes {
                draft.tieArtifact(hash, to: id, into: &change)
            }
            try draft.carryOut(actions, now: now, into: &change)
        }
        return (id, change)
    }

    public mutating func placeBid(
        on orderID: OrderID, by provider: AccountID, price: Amount, now: Timestamp
    ) throws(MarketplaceError) -> (Bid, MarketChange) {
        guard var order = orders[orderID] else { throw missing(order: orderID) }
        let bidID = counters.nextBid
        let standing = self.standing(of: provider)
        let bid = try Self.market { () throws(MarketError) in try order.placeBid(id: bidID, standing: standing, price: price, now: now) }
        put(order)
        counters.nextBid += 1
        var change = MarketChange()
        change.orders.insert(orderID)
        return (bid, change)
    }

    public mutating func cancelOrder(_ orderID: OrderID, by actor: AccountID, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        try transaction(now: now) { draft, change throws(MarketplaceError) in
            guard var order = draft.orders[orderID] else { throw draft.missing(order: orderID) }
            let actions = try Self.market { () throws(MarketError) in try order.cancel(by: actor, now: now) }
            draft.put(order)
            change.orders.insert(orderID)
            try draft.carryOut(actions, now: now, into: &change)
        }
    }

    /// Clears an order's auction if it is due; a no-op change before its close time.
    ///
    /// - Parameter beaconSecrets: 32-byte secrets the shell drew, one per replica, in hex (DESIGN
    ///   section 7). Only their hashes enter the leases; the secrets go to `change.beaconSecrets`
    ///   for the shell to keep privately until the reveal.
    public mutating func closeAuction(_ orderID: OrderID, beaconSecrets: [String], now: Timestamp) throws(MarketplaceError) -> MarketChange {
        var hashes: [String] = []
        for secret in beaconSecrets {
            do { hashes.append(try Beacon.commitment(ofSecret: secret)) } catch { throw .invalid("beacon secret: \(error)") }
        }
        return try transaction(now: now) { draft, change throws(MarketplaceError) in
            guard var order = draft.orders[orderID] else { throw draft.missing(order: orderID) }
            let standings = Dictionary(order.bids.map { ($0.provider, draft.standing(of: $0.provider)) }, uniquingKeysWith: { $1 })
            let firstLease = draft.counters.nextLease
            let policy = draft.policy
            let actions = try Self.market { () throws(MarketError) in
                try order.close(now: now, standings: standings, firstLeaseID: firstLease, beaconCommitments: hashes, policy: policy)
            }
            draft.put(order)
            change.orders.insert(orderID)
            try draft.carryOut(actions, now: now, into: &change)
            for case .awardLease(let lease) in actions {
                guard let offset = hashes.firstIndex(of: lease.beaconCommitment) else { continue }
                change.beaconSecrets[lease.id] = beaconSecrets[offset]
            }
        }
    }

    // MARK: - Leases

    public mutating func heartbeat(
        lease leaseID: LeaseID, by provider: AccountID, step: Int64, loss: Double?, now: Timestamp
    ) throws(MarketplaceError) -> MarketChange {
        try onLease(leaseID, now: now) { lease, policy throws(MarketError) in
            try lease.heartbeat(by: provider, step: step, loss: loss, now: now, policy: policy)
        }
    }

    /// Runs a lease's clock: fails it if late or silent, settles it once checked and past its window.
    public mutating func checkLease(_ leaseID: LeaseID, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        try onLease(leaseID, now: now) { lease, policy throws(MarketError) in try lease.check(now: now, policy: policy) }
    }
}
