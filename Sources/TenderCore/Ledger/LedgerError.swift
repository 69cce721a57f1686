/// Why the ledger refused an operation or a journal. A refused operation changes nothing.
///
/// The cases carry what a person needs to act: which account and bucket fell short and by how much,
/// which hold was already closed, when the next unbonding entry matures.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An operation that moves money was asked to move none.
    case zeroAmount(operation: String)
    /// A hold id that is empty or otherwise unusable.
    case invalidHoldID(HoldID)
    /// No hold has ever been opened under this id.
    case unknownHold(HoldID)
    /// A hold under this id already exists (open or closed); ids are never reused.
    case duplicateHold(HoldID)
    /// The hold was fully released, refunded, unlocked, slashed, returned or forfeited already.
    case holdClosed(HoldID)
    /// The operation needs a different kind of hold (e.g. `releaseEscrow` on a bond).
    case wrongHoldKind(HoldID, expected: LedgerHold.Kind, actual: LedgerHold.Kind)
    /// More was asked of a hold than it still holds.
    case overRelease(HoldID, requested: Amount, remaining: Amount)
    /// A bucket would go below zero.
    case insufficientFunds(account: AccountID, bucket: Bucket, needed: Amount, had: Amount)
    /// `withdraw` found no unbonding entry whose release time has come.
    case nothingMatured(account: AccountID, nextReleaseAt: Timestamp?)
    /// A basis-point rate outside 0...10,000.
    case invalidBasisPoints(Int64)
    /// A balance or the minted total would exceed the largest amount.
    case overflow
    /// `now` is earlier than the last entry's time; the journal's clock only moves forward.
    case timeWentBackwards(last: Timestamp, now: Timestamp)
    /// A journal failed verification.
    case invalidJournal(JournalProblem)

    public var description: String {
        switch self {
        case .zeroAmount(let operation):
            "\(operation) needs an amount greater than zero"
        case .invalidHoldID(let hold):
            "'\(hold)' is not a usable hold id: name the thing it backs, like order:12"
        case .unknownHold(let hold):
            "no hold named '\(hold)'"
        case .duplicateHold(let hold):
            "hold '\(hold)' already exists; a hold id is used once"
        case .holdClosed(let hold):
            "hold '\(hold)' is already closed; nothing is left to release"
        case .wrongHoldKind(let hold, let expected, let actual):
            "hold '\(hold)' is \(actual), not \(expected)"
        case .overRelease(let hold, let requested, let remaining):
            "cannot release \(requested) from hold '\(hold)': only \(remaining) remains"
        case .insufficientFunds(let account, let bucket, let needed, let had):
            "account \(account.short) needs \(needed) \(bucket) but has \(had)"
        case .nothingMatured(let account, let next):
            if let next {
                "account \(account.short) has nothing to withdraw yet; the next unbonding entry matures at \(next)"
            } else {
                "account \(account.short) has nothing unbonding to withdraw"
            }
        case .invalidBasisPoints(let value):
            "\(value) basis points is outside 0...10000"
        case .overflow:
            "the amount would exceed the largest balance the ledger can hold"
        case .timeWentBackwards(let last, let now):
            "time \(now) is before the last journal entry at \(last)"
        case .invalidJournal(let problem):
            "the journal does not verify: \(problem)"
        }
    }
}
