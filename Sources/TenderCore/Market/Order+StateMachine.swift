extension Order {
    /// An order's escrow: the maximum price for each replica. `ledger verify` re-derives it from
    /// the signed manifest with this same rule.
    public static func escrow(for manifest: JobManifest) throws(AmountError) -> Amount {
        try manifest.pricing.maxPrice.scaled(by: Int64(manifest.verification.replicas), over: 1)
    }

    /// Opens an order: its escrow is the maximum price for each replica, locked now.
    public static func submit(
        id: OrderID, submitter: AccountID, manifest: JobManifest, manifestHash: String, now: Timestamp
    ) throws(MarketError) -> (Order, [MarketAction]) {
        let escrow: Amount
        do {
            escrow = try Order.escrow(for: manifest)
        } catch {
            throw .amount(error)
        }
        let closesAt = now.adding(seconds: manifest.pricing.auctionSeconds)
        let order = Order(
            id: id, submitter: submitter, manifest: manifest, manifestHash: manifestHash, createdAt: now,
            closesAt: closesAt, escrow: escrow, state: .open, bids: []
        )
        return (order, [
            .lockEscrow(order: id, owner: submitter, amount: escrow),
            .scheduleAuctionClose(order: id, at: closesAt),
        ])
    }

    /// Records a bid, or refuses it with every reason it is not eligible.
    public mutating func placeBid(
        id bidID: UInt64, standing: BidderStanding, price: Amount, now: Timestamp
    ) throws(MarketError) -> Bid {
        guard state == .open else { throw .wrongState("order \(id) is \(state.rawValue), not open for bids") }
        var reasons = Eligibility.declineReasons(order: terms, standing: standing, price: price, now: now)
        if bids.contains(where: { $0.provider == standing.account }) { reasons.append(.alreadyBid) }
        guard reasons.isEmpty else { throw .bidDeclined(reasons) }
        let bid = Bid(id: bidID, order: id, provider: standing.account, price: price, placedAt: now)
        bids.append(bid)
        return bid
    }

    /// Cancels an open order and refunds its escrow. Only the submitter may cancel.
    public mutating func cancel(by actor: AccountID, now: Timestamp) throws(MarketError) -> [MarketAction] {
        guard actor == submitter else { throw .notYours("only the submitter can cancel order \(id)") }
        guard state == .open else { throw .wrongState("order \(id) is \(state.rawValue); only an open order can be cancelled") }
        state = .cancelled
        return refundAll()
    }

    /// Clears the auction if it is due. Bids are re-checked against `standings` as they are now,
    /// since a provider's stake or jail may have changed since it bid.
    ///
    /// - Parameters:
    ///   - firstLeaseID: the id for the first lease; replicas take the following ids.
    ///   - beaconCommitments: one hash of a freshly drawn secret per replica (DESIGN section 7),
    ///     drawn by the shell so the core stays free of randomness.
    public mutating func close(
        now: Timestamp, standings: [AccountID: BidderStanding], firstLeaseID: LeaseID,
        beaconCommitments: [String], policy: MarketPolicy
    ) throws(MarketError) -> [MarketAction] {
        guard state == .open, now >= closesAt else { return [] }
        let replicas = manifest.verification.replicas
        guard beaconCommitments.count == replicas else {
            throw .wrongState("clearing order \(id) needs \(replicas) beacon commitment(s)")
        }
        let requirements = Eligibility.Requirements(terms)
        let stillEligible = bids.compactMap { bid -> Auction.Candidate? in
            guard let standing = standings[bid.provider],
                  requirements.admit(standing, price: bid.price, now: bid.placedAt) else { return nil }
            return Auction.Candidate(bid: bid, standing: standing)
        }
        let outcome = Auction.clear(
            candidates: stillEligible, rule: manifest.pricing.rule, reserve: manifest.pricing.maxPrice, replicas: replicas
        )
        guard case .awarded(let awards) = outcome else {
            state = .expired
            return refundAll()
        }
        var actions: [MarketAction] = []
        var charged = Amount.zero
        for (offset, award) in awards.enumerated() {
            do { charged = try charged.adding(award.payment) } catch { throw .amount(error) }
            let lease = Lease.award(
                id: LeaseID(firstLeaseID.rawValue + UInt64(offset)), order: self, bid: award.bid, payment: award.payment,
                beaconCommitment: beaconCommitments[offset], now: now, policy: policy
            )
            actions += [
                .lockCollateral(lease: lease.id, provider: lease.provider, amount: lease.collateral),
                .awardLease(lease),
                .scheduleLeaseCheck(lease: lease.id, at: lease.nextCheck),
            ]
        }
        // The escrow drops to the clearing price; the rest goes back to the submitter now.
        let excess: Amount
        do { excess = try escrow.subtracting(charged) } catch { throw .amount(error) }
        if !excess.isZero {
            actions.insert(.refundEscrow(order: id, owner: submitter, amount: excess), at: 0)
        }
        escrow = charged
        state = .awarded
        return actions
    }

    private mutating func refundAll() -> [MarketAction] {
        defer { escrow = .zero }
        return escrow.isZero ? [] : [.refundEscrow(order: id, owner: submitter, amount: escrow)]
    }
}
