/// Where a posting lands: one of an account's six balances, or one of the two global totals.
///
/// The six holder buckets are the states money can be in while someone owns it. `minted` and
/// `burned` belong to no account: they are the two ends of the supply, so every entry balances as
/// "what the holders gained, plus what was burned, equals what was minted".
public enum Bucket: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Spendable: transfers, fees, escrow locks and bonds come from here.
    case available
    /// Free stake: backs bids and can be locked as collateral or unbonded.
    case staked
    /// Stake on its way out, waiting for its release time.
    case unbonding
    /// A submitter's money locked for an order until settlement.
    case escrowed
    /// A challenger's bond posted for a dispute.
    case bonded
    /// Stake locked as collateral behind a lease.
    case lockedCollateral
    /// Global: money created (genesis, dev faucet). Never held by an account.
    case minted
    /// Global: money destroyed (slashes, forfeits, fee burns). Never held by an account.
    case burned

    /// The buckets an account holds, in display order.
    public static let holderBuckets: [Bucket] = [
        .available, .staked, .unbonding, .escrowed, .bonded, .lockedCollateral,
    ]

    /// True for the six buckets an account owns; false for `minted` and `burned`.
    public var isHolder: Bool {
        switch self {
        case .minted, .burned: false
        default: true
        }
    }

    public var description: String { rawValue }
}
