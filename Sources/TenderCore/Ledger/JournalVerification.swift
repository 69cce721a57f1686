/// The result of checking a journal end to end: what `tender ledger verify` prints.
///
/// Verification stops at the first problem; `entriesChecked`, `headHash` and `totals` then describe
/// the sound prefix before it, so an operator knows how far the journal can be trusted.
public struct JournalVerification: Sendable, Equatable, CustomStringConvertible {
    /// Entries that passed every check.
    public let entriesChecked: Int
    /// The hash of the last entry that passed; `JournalEntry.genesisHash` if none did.
    public let headHash: String
    /// Supply after the last entry that passed.
    public let totals: LedgerTotals
    /// The first problem found, or nil when the whole journal verifies.
    public let problem: JournalProblem?

    public init(entriesChecked: Int, headHash: String, totals: LedgerTotals, problem: JournalProblem?) {
        self.entriesChecked = entriesChecked
        self.headHash = headHash
        self.totals = totals
        self.problem = problem
    }

    /// True when every entry verified.
    public var isValid: Bool { problem == nil }

    public var description: String {
        let summary = "\(entriesChecked) entries, head \(headHash), minted \(totals.minted), "
            + "burned \(totals.burned), outstanding \(totals.outstanding)"
        if let problem { return "FAILED after \(summary): \(problem)" }
        return "OK: \(summary)"
    }
}
