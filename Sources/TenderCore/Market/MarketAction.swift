/// What the market core asks its shell to do after an event. The shell carries out every action
/// of one event in one database transaction, ledger entries included, or none of them.
public enum MarketAction: Sendable, Equatable {
    // MARK: Money (each maps to ledger operations; see `MarketAction+Ledger`)

    /// Lock the order's maximum price (times its replicas) from the submitter's balance.
    case lockEscrow(order: UInt64, owner: AccountID, amount: Amount)
    /// Return part of an order's escrow to its submitter.
    case refundEscrow(order: UInt64, owner: AccountID, amount: Amount)
    /// Lock a winner's collateral from its free stake for the lease.
    case lockCollateral(lease: UInt64, provider: AccountID, amount: Amount)
    /// Pay a provider from the order's escrow, take the protocol fee (part burned, the rest to the
    /// treasury), and unlock its collateral.
    case settle(lease: UInt64, order: UInt64, provider: AccountID, payment: Amount, collateral: Amount, fee: Fee)
    /// Take a liveness penalty from the lease's collateral for the submitter, then unlock the rest.
    case penalize(lease: UInt64, provider: AccountID, collateral: Amount, penalty: Amount, beneficiary: AccountID)
    /// Split the lease's collateral 40/10/50 between challenger, submitter and the burn.
    case slash(lease: UInt64, provider: AccountID, collateral: Amount, challenger: AccountID, submitter: AccountID)

    // MARK: Records and clocks

    case scheduleAuctionClose(order: UInt64, at: Timestamp)
    case awardLease(Lease)
    case scheduleLeaseCheck(lease: UInt64, at: Timestamp)
    case scheduleSettlement(lease: UInt64, at: Timestamp)
    case reputation(provider: AccountID, event: ReputationEvent)
    case jail(provider: AccountID, until: Timestamp)

    // MARK: Verification seam

    /// The commitment is recorded: reveal the lease's beacon secret and start the sampled audit.
    /// Audits and disputes are carried out by the verification module; the lease only waits for
    /// its window and accepts `proveFraud`.
    case startVerification(lease: UInt64)
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
