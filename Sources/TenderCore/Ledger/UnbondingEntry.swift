/// Stake on its way out of the market, with the time it may be withdrawn.
///
/// Unbonding exists so stake cannot leave from under a pending dispute: the caller sets
/// `releaseAt` past the window of every lease the stake backed, and `withdraw` only moves entries
/// whose time has come.
public struct UnbondingEntry: Sendable, Hashable, Codable {
    public let amount: Amount
    public let releaseAt: Timestamp

    public init(amount: Amount, releaseAt: Timestamp) {
        self.amount = amount
        self.releaseAt = releaseAt
    }

    /// True when the entry may be withdrawn at `now`.
    public func isMatured(at now: Timestamp) -> Bool { releaseAt <= now }
}
