/// The first thing wrong with a journal, as `tender ledger verify` reports it.
///
/// Each case names the entry's sequence number so an operator can go straight to the bad row.
public enum JournalProblem: Sendable, Equatable, CustomStringConvertible {
    /// Entries must be numbered 1, 2, 3, ... with no gap or repeat.
    case outOfSequence(expected: UInt64, found: UInt64)
    /// The entry's `previousHash` is not the hash of the entry before it.
    case brokenLink(sequence: UInt64, expected: String, found: String)
    /// The entry's `hash` is not the hash of its contents.
    case badHash(sequence: UInt64, expected: String, found: String)
    /// The postings do not balance (holders + burned != minted), or a posting names an account for a
    /// global bucket or none for a holder bucket.
    case unbalanced(sequence: UInt64)
    /// Replaying the operation was refused, e.g. it spends money the account did not have.
    indirect case operationRejected(sequence: UInt64, reason: LedgerError)
    /// Replaying the operation gives other postings than the ones recorded.
    case postingsMismatch(sequence: UInt64, recorded: [Posting], replayed: [Posting])
    /// After the entry, the supply invariant does not hold.
    case invariantBroken(sequence: UInt64)
    /// Neither the entry nor any later entry of the journal read carries the controller's
    /// signature, so nothing vouches that the controller wrote it (the controller signs the last
    /// entry of each write it commits; the hash chain carries that signature back to the others).
    case unsigned(sequence: UInt64)
    /// The entry carries a signature, but not one by the controller's key over its hash.
    case badSignature(sequence: UInt64)
    /// The entry is not backed by the signed request of the account whose money it moves, or asks
    /// for something else than it did (`EntryAuthority`).
    case unauthorized(sequence: UInt64, reason: String)

    /// The entry the problem was found at.
    public var sequence: UInt64 {
        switch self {
        case .outOfSequence(_, let found): found
        case .brokenLink(let sequence, _, _), .badHash(let sequence, _, _), .unbalanced(let sequence),
             .operationRejected(let sequence, _), .postingsMismatch(let sequence, _, _),
             .invariantBroken(let sequence), .unsigned(let sequence), .badSignature(let sequence),
             .unauthorized(let sequence, _):
            sequence
        }
    }

    public var description: String {
        switch self {
        case .outOfSequence(let expected, let found):
            "expected entry \(expected), found entry \(found)"
        case .brokenLink(let sequence, let expected, let found):
            "entry \(sequence) links to \(found.prefix(16))..., but the previous hash is \(expected.prefix(16))..."
        case .badHash(let sequence, let expected, let found):
            "entry \(sequence) claims hash \(found.prefix(16))..., but its contents hash to \(expected.prefix(16))..."
        case .unbalanced(let sequence):
            "entry \(sequence) is unbalanced: holders + burned does not equal minted"
        case .operationRejected(let sequence, let reason):
            "entry \(sequence) could not be replayed: \(reason)"
        case .postingsMismatch(let sequence, let recorded, let replayed):
            "entry \(sequence) records postings [\(recorded.map(\.description).joined(separator: ", "))] "
                + "but its operation gives [\(replayed.map(\.description).joined(separator: ", "))]"
        case .invariantBroken(let sequence):
            "after entry \(sequence), the buckets plus burned no longer equal minted"
        case .unsigned(let sequence):
            "entry \(sequence) is not signed by the controller's key, and no later entry signed by it follows"
        case .badSignature(let sequence):
            "entry \(sequence) carries a signature that is not the controller's key's"
        case .unauthorized(let sequence, let reason):
            "entry \(sequence) is not what anyone asked for: \(reason)"
        }
    }
}
