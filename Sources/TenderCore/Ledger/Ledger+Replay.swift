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
    ///
    /// With `controller`, each entry must rest on the signed request of whoever's money it takes
    /// (`EntryAuthority`) and be vouched for by the controller's key: what a client checks,
    /// trusting nothing but the controller's key and the users' own. The controller signs the last
    /// entry of each write it commits, and each entry's hash covers the one before it, so an entry
    /// is vouched for by the next signed entry at or after it, or by `signedHead`: the hash of a
    /// head the caller has checked the controller signed (`GET /v1/ledger/head`). Entries that
    /// nothing signed vouches for make the journal fail, and the report's prefix ends before them.
    ///
    /// `earlierKeys` are keys the client trusted before the controller rotated to `controller`:
    /// they may sign a first stretch of the journal, and none may sign after the first entry the
    /// current key signed.
    public static func verify(
        _ entries: some Sequence<JournalEntry>, controller: AccountID? = nil, earlierKeys: [AccountID] = [],
        signedHead: String? = nil
    ) -> JournalVerification {
        var ledger = Ledger()
        var checked = 0
        var problem: JournalProblem?
        var spans = EntrySequence()
        var rotated = earlierKeys.isEmpty
        // Replayed entries no signature vouches for yet, and the end of the prefix one last did.
        var pending: [JournalEntry] = []
        var vouched = (checked: 0, headHash: ledger.headHash, totals: ledger.totals)
        for entry in entries {
            // The chain and the replay first: they cost a hash and some arithmetic, while the
            // authority check verifies a user's signature and may parse a manifest, so a journal
            // edited in transit is reported as the broken link or bad hash it is, cheaply.
            if let found = ledger.problem(replaying: entry) {
                problem = found
                break
            }
            if controller != nil, let reason = EntryAuthority.problem(entry) {
                problem = .unauthorized(sequence: entry.sequence, reason: reason)
                break
            }
            checked += 1
            guard let controller else { continue }
            pending.append(entry)
            // A signature the entry carries must be a trusted key's, whatever else vouches for it:
            // otherwise a forged tail could end on junk the signed head then covered.
            let signer: AccountID?
            if entry.signature != nil {
                signer = entry.isSigned(by: controller) ? controller : rotated ? nil : earlierKeys.first { entry.isSigned(by: $0) }
            } else if entry.hash == signedHead {
                signer = controller
            } else {
                continue
            }
            guard let signer else {
                problem = .badSignature(sequence: entry.sequence)
                break
            }
            if signer == controller { rotated = true }
            if let found = spanProblem(pending, signer: signer, spans: &spans) {
                problem = found
                break
            }
            pending.removeAll(keepingCapacity: true)
            vouched = (checked, ledger.headHash, ledger.totals)
        }
        if problem == nil, let first = pending.first {
            problem = .unsigned(sequence: first.sequence)
        }
        if problem == nil, let found = ledger.invariantProblem() {
            problem = found
        }
        if controller == nil || problem == nil {
            vouched = (checked, ledger.headHash, ledger.totals)
        }
        return JournalVerification(
            entriesChecked: vouched.checked, headHash: vouched.headHash, totals: vouched.totals, problem: problem
        )
    }

    /// The rules spanning entries (`EntrySequence`), for the entries one signature vouches for.
    private static func spanProblem(_ entries: [JournalEntry], signer: AccountID, spans: inout EntrySequence) -> JournalProblem? {
        for entry in entries {
            if let reason = spans.problem(entry, controller: signer) {
                return .unauthorized(sequence: entry.sequence, reason: reason)
            }
        }
        return nil
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
        let computed = entry.computedHash()
        guard computed == entry.hash else {
            return .badHash(sequence: entry.sequence, expected: computed, found: entry.hash)
        }
        guard entry.isBalanced else { return .unbalanced(sequence: entry.sequence) }
        let prepared: Prepared
        do {
            prepared = try prepare(entry.operation, at: entry.time, request: entry.request, cause: entry.cause)
        } catch {
            return .operationRejected(sequence: entry.sequence, reason: error)
        }
        guard prepared.entry.postings == entry.postings else {
            return .postingsMismatch(
                sequence: entry.sequence, recorded: entry.postings, replayed: prepared.entry.postings
            )
        }
        // Same sequence, time, operation, postings and previous hash give the same hash.
        assert(prepared.entry.hash == entry.hash, "a verified entry must re-seal to itself")
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

    /// Throws if the supply invariant or the holds' bookkeeping is broken: the last check of a
    /// replay done entry by entry.
    public func checkInvariants() throws(LedgerError) {
        if let problem = invariantProblem() { throw .invalidJournal(problem) }
    }
}
