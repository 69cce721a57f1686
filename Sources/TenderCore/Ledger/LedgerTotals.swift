/// The supply at a glance: what was minted and burned, and where the rest sits.
///
/// `holdings` is every account's balances added bucket by bucket. When the ledger is sound,
/// `holdings.total + burned == minted`, and `outstanding` (minted minus burned) is what holders own.
public struct LedgerTotals: Sendable, Hashable, Codable {
    public let minted: Amount
    public let burned: Amount
    /// Each bucket summed over all accounts.
    public let holdings: Balances

    public init(minted: Amount, burned: Amount, holdings: Balances) {
        self.minted = minted
        self.burned = burned
        self.holdings = holdings
    }

    /// Money that exists: minted minus burned (zero if burned somehow exceeds minted).
    public var outstanding: Amount {
        Amount(uncheckedMicros: max(0, minted.micros - burned.micros))
    }

    /// An empty ledger's totals.
    public static let zero = LedgerTotals(minted: .zero, burned: .zero, holdings: .zero)
}
