/// One account's money, split by what it is doing.
///
/// Each bucket is a non-negative `Amount`, so "no bucket below zero" holds by construction: the
/// ledger refuses a posting that would take a bucket under zero before anything changes.
public struct Balances: Sendable, Hashable, Codable {
    public internal(set) var available: Amount
    public internal(set) var staked: Amount
    public internal(set) var unbonding: Amount
    public internal(set) var escrowed: Amount
    public internal(set) var bonded: Amount
    public internal(set) var lockedCollateral: Amount

    /// An account that holds nothing.
    public static let zero = Balances(
        available: .zero, staked: .zero, unbonding: .zero,
        escrowed: .zero, bonded: .zero, lockedCollateral: .zero
    )

    public init(
        available: Amount, staked: Amount, unbonding: Amount,
        escrowed: Amount, bonded: Amount, lockedCollateral: Amount
    ) {
        self.available = available
        self.staked = staked
        self.unbonding = unbonding
        self.escrowed = escrowed
        self.bonded = bonded
        self.lockedCollateral = lockedCollateral
    }

    /// The amount in one holder bucket; `.zero` for `minted` and `burned`, which no account holds.
    public subscript(bucket: Bucket) -> Amount {
        get {
            switch bucket {
            case .available: available
            case .staked: staked
            case .unbonding: unbonding
            case .escrowed: escrowed
            case .bonded: bonded
            case .lockedCollateral: lockedCollateral
            case .minted, .burned: .zero
            }
        }
        set {
            switch bucket {
            case .available: available = newValue
            case .staked: staked = newValue
            case .unbonding: unbonding = newValue
            case .escrowed: escrowed = newValue
            case .bonded: bonded = newValue
            case .lockedCollateral: lockedCollateral = newValue
            case .minted, .burned: preconditionFailure("\(bucket) is not an account bucket")
            }
        }
    }

    /// Everything the account owns, in every bucket.
    ///
    /// Computed wide and clamped: it cannot exceed `Int64` while the supply invariant holds, because
    /// every bucket of every account together is at most what was minted.
    public var total: Amount {
        Amount(uncheckedMicros: Int64(clamping: totalMicros))
    }

    /// The exact sum, wide enough that adding six `Int64`s cannot overflow.
    var totalMicros: Int128 {
        Bucket.holderBuckets.reduce(Int128(0)) { $0 + Int128(self[$1].micros) }
    }

    /// True when every bucket is empty.
    public var isEmpty: Bool { totalMicros == 0 }
}
