/// The ledger at a known journal entry, so a restart replays only the entries after it.
///
/// A snapshot is a cache, like the in-memory ledger: the journal stays the source of truth and
/// `tender ledger verify` never looks at a snapshot. Loading one checks that it belongs to the
/// journal it is loaded beside (the journal's entry at `sequence` has hash `headHash`), and replay
/// checks that every later entry extends it; a snapshot that fails either is ignored and the
/// whole journal replayed.
extension Ledger {
    public struct Snapshot: Sendable, Codable, Equatable {
        public let sequence: UInt64
        public let headHash: String
        public let lastTime: Timestamp?
        public let minted: Amount
        public let burned: Amount
        public let accounts: [AccountID: Balances]
        public let holds: [HoldID: LedgerHold]
        public let unbonding: [AccountID: [UnbondingEntry]]

        public init(
            sequence: UInt64, headHash: String, lastTime: Timestamp?, minted: Amount, burned: Amount,
            accounts: [AccountID: Balances], holds: [HoldID: LedgerHold], unbonding: [AccountID: [UnbondingEntry]]
        ) {
            self.sequence = sequence
            self.headHash = headHash
            self.lastTime = lastTime
            self.minted = minted
            self.burned = burned
            self.accounts = accounts
            self.holds = holds
            self.unbonding = unbonding
        }
    }

    /// This ledger's state, to be stored and resumed from.
    public var snapshot: Snapshot {
        Snapshot(
            sequence: sequence, headHash: headHash, lastTime: lastTime, minted: minted, burned: burned,
            accounts: accounts.dictionary, holds: holds.dictionary, unbonding: unbonding.dictionary
        )
    }

    /// The ledger a snapshot describes, after checking that its own numbers add up (the supply
    /// invariant and the holds' bookkeeping), since it did not come from `apply`.
    public init(resuming snapshot: Snapshot) throws(LedgerError) {
        self.init()
        accounts = UndoableDictionary(snapshot.accounts)
        holds = UndoableDictionary(snapshot.holds)
        unbonding = UndoableDictionary(snapshot.unbonding)
        minted = snapshot.minted
        burned = snapshot.burned
        sequence = snapshot.sequence
        headHash = snapshot.headHash
        lastTime = snapshot.lastTime
        try checkInvariants()
    }

    /// Replays `entries` on top of `snapshot`: the first must be the snapshot's next entry, linked
    /// to its head hash, and each is checked as in a full replay, except that a snapshot of the
    /// market's ledger holds open holds only (`forgetClosedHolds`), so reopening an id closed before
    /// the snapshot is caught only by a replay from the start (`tender ledger verify`).
    public static func replay(_ entries: some Sequence<JournalEntry>, from snapshot: Snapshot) throws(LedgerError) -> Ledger {
        var ledger = try Ledger(resuming: snapshot)
        for entry in entries {
            try ledger.replay(entry)
        }
        try ledger.checkInvariants()
        return ledger
    }
}
