/// Rebuilding a ledger from its journal, and checking the journal while doing it.
///
/// The journal is the source of truth; the in-memory ledger is a cache of it. Replay trusts nothing
/// in an entry it can recompute: it checks the numbering, the link to the previous hash, the entry's
/// own hash and balance, then re-runs the operation against the state so far and requires the same
/// postings. A journal that passes could have been produced by `apply`, and by nothing else.
extension Ledger {
    /// Rebuilds the ledger from a journal, throwing `LedgerError.invalidJournal` at the first problem.
    public static func replay(_ entries: some Sequence<JournalEntry>) throws(LedgerError) -> Ledger {
        var ledger = Ledger()
        for entry in entries {
            try ledger.replay(entry)
        }
        try ledger.checkInvariants()
        return ledger
    }

    /// Checks a journal and reports how far it verifies, without throwing.
    public static func verify(_ entries: some Sequence<JournalEntry>) -> JournalVerification {
        var ledger = Ledger()
        var checked = 0
        var problem: JournalProblem?
        for entry in entries {
            if let found = ledger.problem(replaying: entry) {
                problem = found
                break
            }
            checked += 1
        }
        if problem == nil, let found = ledger.invariantProblem() {
            problem = found
        }
        return JournalVerification(
            entriesChecked: checked, headHash: ledger.headHash, totals: ledger.totals, problem: problem
        )
    }

    /// Appends one stored entry after checking it against this ledger's head, e.g. when loading a
    /// journal that continues from a known state. Changes nothing if the entry does not verify.
    public mutating func replay(_ entry: JournalEntry) throws(LedgerError) {
        if let problem = problem(replaying: entry) { throw .invalidJournal(problem) }
    }

    // MARK: - Checks

    /// Applies `entry` if it verifies; otherwise returns why and leaves the ledger unchanged.
    private mutating func problem(replaying entry: JournalEntry) -> JournalProblem? {
        let expected = sequence &+ 1
        guard entry.sequence == expected else { return .outOfSequence(expected: expected, found: entry.sequence) }
        guard entry.previousHash == headHash else {
            return .brokenLink(sequence: entry.sequence, expected: headHash, found: entry.previousHash)
        }
        let computed: String
        do {
            computed = try entry.computedHash()
        } catch {
            return .operationRejected(sequence: entry.sequence, reason: error)
        }
        guard computed == entry.hash else {
            return .badHash(sequence: entry.sequence, expected: computed, found: entry.hash)
        }
        guard entry.isBalanced else { return .unbalanced(sequence: entry.sequence) }
        let prepared: Prepared
        do {
            prepared = try prepare(entry.operation, at: entry.time)
        } catch {
            return .operationRejected(sequence: entry.sequence, reason: error)
        }
        guard prepared.entry.postings == entry.postings else {
            return .postingsMismatch(
                sequence: entry.sequence, recorded: entry.postings, replayed: prepared.entry.postings
            )
        }
        // Same sequence, time, operation, postings and previous hash give the same hash.
        assert(prepared.entry == entry, "a verified entry must re-seal to itself")
        commit(prepared)
        return nil
    }

    /// The supply invariant and the hold bookkeeping, as a journal problem at the current entry.
    ///
    /// Checked once after the whole journal rather than after every entry: each entry is already
    /// proven balanced, so only a bug in the ledger itself could break them, and checking once keeps
    /// verification linear in the journal's length.
    func invariantProblem() -> JournalProblem? {
        invariantHolds && holdsAgreeWithBalances ? nil : .invariantBroken(sequence: sequence)
    }

    private func checkInvariants() throws(LedgerError) {
        if let problem = invariantProblem() { throw .invalidJournal(problem) }
    }
}
