/// Which signature a controller takes as vouching for a stored journal when it loads one.
///
/// A controller signs the last entry of every write it commits, and each entry's hash covers the
/// one before, so the last signed entry of a journal vouches for everything up to it. At start-up
/// the operator vouches for the journal as it stands, whoever signed it: that is how a key is
/// rotated (clients then re-pin with `ledger verify --accept-new-key`). Everything appended after
/// that was appended by this market's controllers, which all sign with one key; so a load later on
/// (after a failed write, on taking the lead, as a follower) takes the journal only when its last
/// signed entry is that same head, or carries that key's signature. Otherwise anyone who can write
/// the database could append entries under a signature of their own (or replace the history with
/// one), and the leader would keep signing heads over them.
public struct JournalTrust: Sendable, Hashable {
    /// The key this market's controllers sign with.
    public let key: AccountID
    /// The hash of the head the operator started this controller on, taken whoever signed it;
    /// nil for the start-up load itself, which takes any signature.
    public let acceptedHead: String?

    /// The trust of a start-up load: the journal as it stands, whoever signed it.
    public static func startingUp(key: AccountID) -> JournalTrust {
        JournalTrust(key: key, acceptedHead: nil)
    }

    /// The trust of every later load, once the start-up load found the journal's head at
    /// `headHash`: that head is taken as it is, and anything after it must be signed with `key`.
    public static func after(startingAt headHash: String, key: AccountID) -> JournalTrust {
        JournalTrust(key: key, acceptedHead: headHash)
    }

    /// Whether `entry`, the last signed entry of a journal being loaded, vouches for the journal
    /// up to it. The signature is checked only when it has to be: one verification per load.
    public func vouches(for entry: JournalEntry) -> Bool {
        guard let acceptedHead else { return true }
        return entry.hash == acceptedHead || entry.isSigned(by: key)
    }
}
