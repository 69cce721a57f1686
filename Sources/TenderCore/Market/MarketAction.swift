/// What the market core asks its shell to do after an event. The shell carries out every action
/// of one event in one database transaction, ledger entries included, or none of them.
public enum MarketAction: Sendable, Equatable {
    // MARK: Money (each maps to ledger operations; see `MarketAction+Ledger`)

    /// Lock the order's maximum price (times its replicas) from the submitter's balance.
    case lockEscrow(order: OrderID, owner: AccountID, amount: Amount)
    /// Return part of an order's escrow to its submitter.
    case refundEscrow(order: OrderID, owner: AccountID, amount: Amount)
    /// Lock a winner's collateral from its free stake for the lease.
    case lockCollateral(lease: LeaseID, provider: AccountID, amount: Amount)
    /// Pay a provider from the order's escrow, take the protocol fee (part burned, the rest to the
    /// treasury), and unlock its collateral.
    case settle(lease: LeaseID, order: OrderID, provider: AccountID, payment: Amount, collateral: Amount, fee: Fee)
    /// Burn a liveness penalty from the lease's collateral, then unlock the rest.
    case penalize(lease: LeaseID, provider: AccountID, collateral: Amount, penalty: Amount)
    /// Split the lease's collateral 40/10/50 between challenger, submitter and the burn.
    case slash(lease: LeaseID, provider: AccountID, collateral: Amount, challenger: AccountID, submitter: AccountID)
    /// Lock a challenger's bond for a dispute from its available balance.
    case postBond(dispute: DisputeID, challenger: AccountID, amount: Amount)
    /// A won or voided dispute: the bond back to the challenger.
    case returnBond(dispute: DisputeID, challenger: AccountID)
    /// A lost dispute: half the bond to the provider, half burned.
    case forfeitBond(dispute: DisputeID, challenger: AccountID, provider: AccountID)

    // MARK: Records and clocks

    case scheduleAuctionClose(order: OrderID, at: Timestamp)
    case awardLease(Lease)
    case scheduleLeaseCheck(lease: LeaseID, at: Timestamp)
    case scheduleSettlement(lease: LeaseID, at: Timestamp)
    /// Reveal the lease's beacon secret and draw the audit sample (DESIGN section 7).
    case scheduleBeaconReveal(lease: LeaseID, at: Timestamp)
    /// Look at a dispute again: its move deadline, or the referee's ruling when `at` is now.
    case scheduleDisputeCheck(dispute: DisputeID, at: Timestamp)
    case reputation(provider: AccountID, event: ReputationEvent)
    case jail(provider: AccountID, until: Timestamp)
}

/// A protocol fee: how much, how much of it (in basis points) is burned, and who gets the rest.
public struct Fee: Sendable, Equatable, Codable {
    public var amount: Amount
    public var burnBasisPoints: Int64
    public var treasury: AccountID

    public init(amount: Amount, burnBasisPoints: Int64, treasury: AccountID) {
        self.amount = amount
        self.burnBasisPoints = burnBasisPoints
        self.treasury = treasury
    }
}

/// What moved a provider's reputation.
public enum ReputationEvent: String, Sendable, Equatable, Codable {
    case settled
    case missedDeadline = "missed-deadline"
    case slashed
}
