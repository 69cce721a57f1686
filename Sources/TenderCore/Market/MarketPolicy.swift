/// The controller operator's knobs for the market rules (DESIGN sections 5 and 8).
public struct MarketPolicy: Sendable, Equatable, Codable {
    /// Protocol fee taken from a provider's payment at settlement, in basis points.
    public var feeBasisPoints: Int64
    /// The part of the fee that is burned rather than paid to the treasury, in basis points of the fee.
    public var feeBurnBasisPoints: Int64
    /// How long a running lease may go without a heartbeat before it is failed.
    public var heartbeatGraceSeconds: Int64
    /// The part of the locked collateral taken when a provider misses a deadline, in basis points.
    public var livenessPenaltyBasisPoints: Int64
    /// How long a slashed provider may not bid.
    public var jailSeconds: Int64
    /// Receives the unburned part of protocol fees.
    public var treasury: AccountID
    /// Receives the challenger's share of a slash when the controller's own auditor found the fraud.
    public var auditPool: AccountID

    public init(
        feeBasisPoints: Int64 = 100, feeBurnBasisPoints: Int64 = 5_000, heartbeatGraceSeconds: Int64 = 120,
        livenessPenaltyBasisPoints: Int64 = 1_000, jailSeconds: Int64 = 86_400, treasury: AccountID, auditPool: AccountID
    ) {
        self.feeBasisPoints = feeBasisPoints
        self.feeBurnBasisPoints = feeBurnBasisPoints
        self.heartbeatGraceSeconds = heartbeatGraceSeconds
        self.livenessPenaltyBasisPoints = livenessPenaltyBasisPoints
        self.jailSeconds = jailSeconds
        self.treasury = treasury
        self.auditPool = auditPool
    }
}
