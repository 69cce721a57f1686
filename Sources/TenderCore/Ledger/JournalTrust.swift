/// What a controller takes as vouching for a stored journal when it loads one.
///
/// A controller signs the last entry of every write it commits, and each entry's hash covers the
/// one before, so the last signed entry of a journal vouches for everything up to it. At start-up
/// the operator vouches for the journal as it stands, whoever signed it: that is how a key is
/// rotated (clients then re-pin with `ledger verify --accept-new-key`). Everything appended after
/// that was appended by this market's controllers, which all sign with one key; so a load later on
/// (after a failed write, on taking the lead, as a follower) takes the journal only when its last
/// signed entry is the head this controller started on or carries that key's signature, and only
/// when it still holds `floor`, the latest head this controller saw durable, at its place. Otherwise
/// anyone who can write the database could append entries under a signature of their own, or cut
/// the journal back to an earlier head the key signed, and the leader would go on signing heads
/// over either.
public struct JournalTrust: Sendable, Hashable {
    /// A journal head: an entry's sequence and hash.
    public struct Head: Sendable, Hashable {
        public let sequence: UInt64
        public let hash: String

        public init(sequence: UInt64, hash: String) {
            self.sequence = sequence
            self.hash = hash
        }
    }

    /// The key this market's controllers sign with.
    public let key: AccountID
    /// The head the operator started this controller on, taken whoever signed it; nil for the
    /// start-up load itself, which takes any signature.
    public let startedOn: Head?
    /// The latest head this controller saw durable (started on, committed, followed): a later
    /// journal must hold it, at its sequence. nil for the start-up load.
    public private(set) var floor: Head?

    /// The trust of a start-up load: the journal as it stands, whoever signed it.
    public static func startingUp(key: AccountID) -> JournalTrust {
        JournalTrust(key: key, startedOn: nil, floor: nil)
    }

    /// The trust of every later load, once the start-up load found the journal's head at `head`.
    public static func after(startingOn head: Head, key: AccountID) -> JournalTrust {
        JournalTrust(key: key, startedOn: head, floor: head)
    }

    /// Raises the floor to `head`, a head this controller has seen durable; a lower one is ignored.
    public mutating func saw(_ head: Head) {
        guard startedOn != nil, head.sequence >= floor?.sequence ?? 0 else { return }
        floor = head
    }

    /// Whether `entry`, the last signed entry of a journal being loaded, vouches for the journal
    /// up to it. The signature is checked only when it has to be: one verification per load.
    public func vouches(for entry: JournalEntry) -> Bool {
        guard let startedOn else { return true }
        return entry.hash == startedOn.hash || entry.isSigned(by: key)
    }
}

extension Ledger {
    /// The ledger's head: its last entry's sequence and hash (0 and the genesis hash when empty).
    public var head: JournalTrust.Head { JournalTrust.Head(sequence: sequence, hash: headHash) }
}
