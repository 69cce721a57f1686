/// The controller operator's knobs for the market rules (DESIGN sections 5, 7 and 8).
public struct MarketPolicy: Sendable, Equatable, Codable {
    /// Protocol fee taken from a provider's payment at settlement, in basis points.
    public var feeBasisPoints: Int64
    /// The part of the fee that is burned rather than paid to the treasury, in basis points of the fee.
    public var feeBurnBasisPoints: Int64
    /// How long a running lease may go without a heartbeat before it is failed.
    public var heartbeatGraceSeconds: Int64
    /// The part of the locked collateral burned when a provider misses a deadline, in basis points.
    /// Burned, never paid out: the submitter chooses the deadline and could otherwise profit from
    /// a failure it provoked.
    public var livenessPenaltyBasisPoints: Int64
    /// How long a slashed provider may not bid.
    public var jailSeconds: Int64
    /// Receives the unburned part of protocol fees.
    public var treasury: AccountID
    /// Receives the challenger's share of a slash when the controller's own auditor found the fraud.
    public var auditPool: AccountID
    /// After the commitment, how long the provider has to get every checkpoint state into the
    /// artifact store; a state the auditor still cannot find then counts as fraud.
    public var availabilitySeconds: Int64
    /// How long a party has for each dispute move; a party that misses it loses.
    public var disputeMoveSeconds: Int64
    /// A challenger's bond, in basis points of the disputed lease's collateral, and at least
    /// `minimumDisputeBond`, so a dispute is never free even on a job without collateral.
    public var disputeBondBasisPoints: Int64
    public var minimumDisputeBond: Amount
    /// The most disputes open at once on one lease. Each challenger may hold one; the cap keeps a
    /// crowd of accounts from burying an honest provider in moves before any of them can lose.
    public var maxOpenDisputesPerLease: Int
    /// The free stake an account must hold to open a dispute: challengers are staked accounts.
    /// The same stake lets an account read the artifacts of every order, which it must re-execute.
    public var challengerMinimumStake: Amount
    /// The least an order may escrow (its maximum price for each replica), so that order spam costs
    /// something: each order locks at least this much for its auction.
    public var minimumOrderEscrow: Amount
    /// Bytes of artifacts one account may store outside any lease (inputs, its own files). Lease
    /// uploads belong to the lease's order and are not counted.
    public var artifactQuotaBytes: Int64

    public init(
        feeBasisPoints: Int64 = 100, feeBurnBasisPoints: Int64 = 5_000, heartbeatGraceSeconds: Int64 = 120,
        livenessPenaltyBasisPoints: Int64 = 1_000, jailSeconds: Int64 = 86_400, treasury: AccountID, auditPool: AccountID,
        availabilitySeconds: Int64 = 120, disputeMoveSeconds: Int64 = 60, disputeBondBasisPoints: Int64 = 2_000,
        challengerMinimumStake: Amount? = nil, minimumDisputeBond: Amount? = nil, maxOpenDisputesPerLease: Int = 8,
        minimumOrderEscrow: Amount? = nil, artifactQuotaBytes: Int64 = 1 << 30
    ) {
        self.feeBasisPoints = feeBasisPoints
        self.feeBurnBasisPoints = feeBurnBasisPoints
        self.heartbeatGraceSeconds = heartbeatGraceSeconds
        self.livenessPenaltyBasisPoints = livenessPenaltyBasisPoints
        self.jailSeconds = jailSeconds
        self.treasury = treasury
        self.auditPool = auditPool
        self.availabilitySeconds = availabilitySeconds
        self.disputeMoveSeconds = disputeMoveSeconds
        self.disputeBondBasisPoints = disputeBondBasisPoints
        self.challengerMinimumStake = challengerMinimumStake ?? Amount(uncheckedMicros: 1_000_000)
        self.minimumDisputeBond = minimumDisputeBond ?? Amount(uncheckedMicros: 100_000)
        self.maxOpenDisputesPerLease = maxOpenDisputesPerLease
        self.minimumOrderEscrow = minimumOrderEscrow ?? Amount(uncheckedMicros: 10_000)
        self.artifactQuotaBytes = artifactQuotaBytes
    }

    /// The bond a dispute on a lease with this collateral takes.
    public func disputeBond(forCollateral collateral: Amount) throws(AmountError) -> Amount {
        max(try collateral.basisPoints(disputeBondBasisPoints), minimumDisputeBond, Amount(uncheckedMicros: 1))
    }
}
