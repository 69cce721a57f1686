/// What one operation will change: its postings, plus the hold and unbonding records they imply.
///
/// Built by `Ledger.plan` from the current state without touching it; `Ledger.prepare` then checks
/// the postings against the balances. Zero postings are dropped so the journal shows only movement.
struct LedgerEffect {
    private(set) var postings: [Posting] = []
    /// The new state of the one hold the operation opens or draws on.
    var hold: (id: HoldID, hold: LedgerHold)?
    /// The account's unbonding entries after the operation.
    var unbonding: (account: AccountID, entries: [UnbondingEntry])?

    /// Adds `amount` to an account bucket.
    mutating func credit(_ account: AccountID, _ bucket: Bucket, _ amount: Amount) {
        guard !amount.isZero else { return }
        postings.append(.holder(account, bucket, amount.micros))
    }

    /// Takes `amount` from an account bucket; `Ledger.prepare` refuses it if the bucket is short.
    mutating func debit(_ account: AccountID, _ bucket: Bucket, _ amount: Amount) {
        guard !amount.isZero else { return }
        postings.append(.holder(account, bucket, -amount.micros))
    }

    /// Moves `amount` between two buckets of one account.
    mutating func move(_ account: AccountID, from source: Bucket, to target: Bucket, _ amount: Amount) {
        debit(account, source, amount)
        credit(account, target, amount)
    }

    mutating func mint(_ amount: Amount) {
        guard !amount.isZero else { return }
        postings.append(.global(.minted, amount.micros))
    }

    mutating func burn(_ amount: Amount) {
        guard !amount.isZero else { return }
        postings.append(.global(.burned, amount.micros))
    }
}
