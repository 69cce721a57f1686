/// One line of a journal entry: a signed change to one bucket.
///
/// Holder buckets name their account; `minted` and `burned` have none. An entry is balanced when the
/// holders' deltas plus the burned delta equal the minted delta, which is the supply invariant
/// written one entry at a time.
public struct Posting: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The account whose bucket changes; nil for `minted` and `burned`.
    public let account: AccountID?
    public let bucket: Bucket
    /// Micro-credits added (positive) or taken (negative).
    public let delta: Int64

    public init(account: AccountID?, bucket: Bucket, delta: Int64) {
        self.account = account
        self.bucket = bucket
        self.delta = delta
    }

    /// A posting to an account's holder bucket.
    static func holder(_ account: AccountID, _ bucket: Bucket, _ delta: Int64) -> Posting {
        Posting(account: account, bucket: bucket, delta: delta)
    }

    /// A posting to a global total (`minted` or `burned`).
    static func global(_ bucket: Bucket, _ delta: Int64) -> Posting {
        Posting(account: nil, bucket: bucket, delta: delta)
    }

    /// True when the account is present exactly for the holder buckets.
    var isWellFormed: Bool { bucket.isHolder == (account != nil) }

    public var description: String {
        let sign = delta < 0 ? "-" : "+"
        let magnitude = Amount(uncheckedMicros: delta == .min ? .max : abs(delta))
        let owner = account.map { "\($0.short)." } ?? ""
        return "\(owner)\(bucket) \(sign)\(magnitude)"
    }
}

extension [Posting] {
    /// Holder deltas + burned delta == minted delta, summed wide so no input can overflow it, and
    /// every posting names an account exactly when its bucket is a holder bucket.
    var isBalanced: Bool {
        var holdersAndBurned: Int128 = 0
        var minted: Int128 = 0
        for posting in self {
            guard posting.isWellFormed else { return false }
            if posting.bucket == .minted {
                minted += Int128(posting.delta)
            } else {
                holdersAndBurned += Int128(posting.delta)
            }
        }
        return holdersAndBurned == minted
    }
}
