/// Who owns how much, in which state, and the head of the journal that proves it.
///
/// A pure value in the functional core: no clock, no I/O. The shell calls `apply` with the time it
/// read, stores the returned `JournalEntry` in the same transaction as the state change that caused
/// it, and keeps this struct as its in-memory view. Every operation applies whole or throws and
/// changes nothing, and every entry is balanced, so at all times
/// `available + staked + unbonding + escrowed + bonded + lockedCollateral (all accounts) + burned == minted`.
public struct Ledger: Sendable, Equatable {
    // MARK: - State

    /// Balances of every account that has ever held money.
    var accounts = UndoableDictionary<AccountID, Balances>()
    /// The holds: every one ever opened, so an id is never reused, unless `keepsClosedHolds` is
    /// off, in which case only open ones.
    var holds = UndoableDictionary<HoldID, LedgerHold>()
    /// Whether a closed hold is kept. On (the default) for a ledger that checks a journal: it
    /// refuses any entry that opens an id again. The market's own ledger turns it off
    /// (`forgetClosedHolds`): its hold ids come from counters that never repeat, and a closed
    /// hold kept for every order ever finished would make memory grow with history. A hold not
    /// kept is refused as unknown, just as a closed one is refused as closed.
    public private(set) var keepsClosedHolds = true
    /// Pending unbonding entries per account, in the order they were made.
    var unbonding = UndoableDictionary<AccountID, [UnbondingEntry]>()

    /// All money ever created.
    public internal(set) var minted: Amount = .zero
    /// All money ever destroyed.
    public internal(set) var burned: Amount = .zero
    /// The sequence number of the last entry; 0 before the first.
    public internal(set) var sequence: UInt64 = 0
    /// The hash of the last entry; `JournalEntry.genesisHash` before the first. The controller signs this.
    public internal(set) var headHash: String = JournalEntry.genesisHash
    /// The time of the last entry; nil before the first. Later entries may not be earlier.
    public internal(set) var lastTime: Timestamp?
    /// The signed request being carried out, set only for its duration (`Marketplace.onBehalf`):
    /// every entry it causes carries it.
    var request: RequestEvidence?

    /// An empty ledger: nothing minted, no entries.
    public init() {}

    // MARK: - Queries

    /// One account's balances; all zero for an account the ledger has never seen.
    public func balances(of account: AccountID) -> Balances {
        accounts[account] ?? .zero
    }

    /// Every account the ledger has seen, sorted.
    public var accountIDs: [AccountID] { accounts.keys.sorted() }

    /// Equal when they hold the same money in the same places at the same journal head: the same
    /// balances, open holds and unbonding entries. Closed holds hold nothing, so whether they are
    /// kept (`keepsClosedHolds`) does not matter here.
    public static func == (lhs: Ledger, rhs: Ledger) -> Bool {
        guard lhs.sequence == rhs.sequence, lhs.headHash == rhs.headHash, lhs.lastTime == rhs.lastTime,
              lhs.minted == rhs.minted, lhs.burned == rhs.burned, lhs.request == rhs.request,
              lhs.accounts == rhs.accounts, lhs.unbonding == rhs.unbonding else { return false }
        func open(_ ledger: Ledger) -> [HoldID: LedgerHold] { ledger.holds.dictionary.filter { $0.value.isOpen } }
        return open(lhs) == open(rhs)
    }

    /// Stops keeping closed holds, and lets go of those kept so far (see `keepsClosedHolds`).
    public mutating func forgetClosedHolds() {
        keepsClosedHolds = false
        for (id, hold) in holds where !hold.isOpen { holds[id] = nil }
    }

    /// The hold with this id, open or closed; nil if it was never opened, or is closed and not kept.
    public func hold(_ id: HoldID) -> LedgerHold? { holds[id] }

    /// The open holds on an account's money, by id.
    public func openHolds(of account: AccountID) -> [HoldID: LedgerHold] {
        holds.dictionary.filter { $0.value.owner == account && $0.value.isOpen }
    }

    /// An account's pending unbonding entries, oldest first.
    public func unbondingEntries(of account: AccountID) -> [UnbondingEntry] {
        unbonding[account] ?? []
    }

    /// Supply totals and the sum of every bucket over all accounts.
    public var totals: LedgerTotals {
        var sums = [Bucket: Int128]()
        for balances in accounts.values {
            for bucket in Bucket.holderBuckets { sums[bucket, default: 0] += Int128(balances[bucket].micros) }
        }
        var holdings = Balances.zero
        for bucket in Bucket.holderBuckets {
            holdings[bucket] = Amount(uncheckedMicros: Int64(clamping: sums[bucket] ?? 0))
        }
        return LedgerTotals(minted: minted, burned: burned, holdings: holdings)
    }

    /// The supply invariant: every bucket of every account, plus burned, equals minted.
    ///
    /// Recomputed from the balances rather than tracked, so it is an independent check on `apply`.
    public var invariantHolds: Bool {
        let held = accounts.values.reduce(Int128(0)) { $0 + $1.totalMicros }
        return held + Int128(burned.micros) == Int128(minted.micros)
    }

    /// The per-account bookkeeping agrees with the holds and unbonding entries: each account's
    /// escrowed, lockedCollateral and bonded equal the remainders of its open holds of that kind, and
    /// its unbonding equals the sum of its entries.
    public var holdsAgreeWithBalances: Bool {
        var expected = [AccountID: [Bucket: Int128]]()
        for hold in holds.values where hold.isOpen {
            expected[hold.owner, default: [:]][hold.kind.bucket, default: 0] += Int128(hold.remaining.micros)
        }
        for (account, entries) in unbonding {
            expected[account, default: [:]][.unbonding, default: 0] += entries.reduce(Int128(0)) {
                $0 + Int128($1.amount.micros)
            }
        }
        let tracked: [Bucket] = [.escrowed, .lockedCollateral, .bonded, .unbonding]
        for account in Set(accounts.keys).union(expected.keys) {
            let balances = balances(of: account)
            for bucket in tracked where Int128(balances[bucket].micros) != expected[account]?[bucket] ?? 0 {
                return false
            }
        }
        return true
    }

    // MARK: - Applying operations

    /// Applies one operation at `now` and returns its journal entry, or throws and changes nothing.
    ///
    /// The postings are derived, checked against every touched bucket and sealed into the hash chain
    /// before any state is written, so a refusal at any step leaves the ledger exactly as it was.
    public mutating func apply(_ operation: LedgerOperation, at now: Timestamp, cause: EntryCause? = nil) throws(LedgerError) -> JournalEntry {
        let prepared = try prepare(operation, at: now, request: request, cause: cause)
        commit(prepared)
        return prepared.entry
    }

    /// The entry `apply` would return for this operation now, or the error it would throw, without
    /// changing anything.
    ///
    /// Lets a shell write the entry inside its database transaction first and `apply` the same
    /// operation (which gives the same entry) only once the transaction has committed.
    public func preview(_ operation: LedgerOperation, at now: Timestamp, cause: EntryCause? = nil) throws(LedgerError) -> JournalEntry {
        try prepare(operation, at: now, request: request, cause: cause).entry
    }

    /// Everything `apply` will write, worked out without writing it.
    struct Prepared {
        let entry: JournalEntry
        let effect: LedgerEffect
        let touched: [AccountID: Balances]
        let minted: Amount
        let burned: Amount
    }

    func prepare(
        _ operation: LedgerOperation, at now: Timestamp, request: RequestEvidence?, cause: EntryCause?
    ) throws(LedgerError) -> Prepared {
        if let lastTime, now < lastTime { throw .timeWentBackwards(last: lastTime, now: now) }
        let (next, overflow) = sequence.addingReportingOverflow(1)
        guard !overflow else { throw .overflow }
        let effect = try plan(operation, at: now)
        precondition(effect.postings.isBalanced, "ledger derived unbalanced postings for \(operation.name)")
        var touched = [AccountID: Balances]()
        var minted = self.minted
        var burned = self.burned
        for posting in effect.postings {
            switch posting.bucket {
            case .minted: minted = try Self.credit(minted, by: posting.delta)
            case .burned: burned = try Self.credit(burned, by: posting.delta)
            default:
                guard let account = posting.account else { preconditionFailure("holder posting without account") }
                var updated = touched[account] ?? balances(of: account)
                updated[posting.bucket] = try Self.moved(
                    updated[posting.bucket], by: posting.delta, account: account, bucket: posting.bucket
                )
                touched[account] = updated
            }
        }
        let entry = JournalEntry.sealed(
            sequence: next, time: now, operation: operation, postings: effect.postings, previousHash: headHash,
            request: request, cause: cause
        )
        return Prepared(entry: entry, effect: effect, touched: touched, minted: minted, burned: burned)
    }

    /// Writes a prepared entry. Cannot fail: every check happened in `prepare`.
    mutating func commit(_ prepared: Prepared) {
        for (account, balances) in prepared.touched { accounts[account] = balances }
        if let update = prepared.effect.hold { holds[update.id] = update.hold.isOpen || keepsClosedHolds ? update.hold : nil }
        if let update = prepared.effect.unbonding {
            unbonding[update.account] = update.entries.isEmpty ? nil : update.entries
        }
        minted = prepared.minted
        burned = prepared.burned
        sequence = prepared.entry.sequence
        headHash = prepared.entry.hash
        lastTime = prepared.entry.time
    }

    // MARK: - Checked bucket arithmetic

    /// A global total grows; global totals never shrink.
    private static func credit(_ total: Amount, by delta: Int64) throws(LedgerError) -> Amount {
        precondition(delta >= 0, "minted and burned only grow")
        do { return try total.adding(Amount(uncheckedMicros: delta)) } catch { throw .overflow }
    }

    /// A holder bucket after a posting, refusing to go below zero or past the largest amount.
    private static func moved(
        _ current: Amount, by delta: Int64, account: AccountID, bucket: Bucket
    ) throws(LedgerError) -> Amount {
        if delta >= 0 {
            do { return try current.adding(Amount(uncheckedMicros: delta)) } catch { throw .overflow }
        }
        guard delta != .min else { throw .overflow }
        let needed = Amount(uncheckedMicros: -delta)
        do {
            return try current.subtracting(needed)
        } catch {
            throw .insufficientFunds(account: account, bucket: bucket, needed: needed, had: current)
        }
    }
}
