/// Everything the store can refuse or fail at, worded for the operator who reads the log.
///
/// Errors from SQLite and GRDB are kept as their description rather than the error value, so the
/// enum stays `Sendable` and `Equatable` and a test can match a case exactly. A work item's own
/// error passes through `GroupCommitWriter.write` unchanged and is never wrapped in this enum.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    // MARK: - Opening

    /// The database file (or its folder) could not be created or opened.
    case openFailed(path: String, reason: String)
    /// `PRAGMA synchronous` reads back as something other than FULL (2): a commit would not be
    /// durable across power loss, so the controller must not start.
    case synchronousNotFull(found: Int?)
    /// `PRAGMA journal_mode` is not WAL on a file database.
    case journalModeNotWAL(found: String?)
    /// `--db` names neither a file nor a usable `postgres://` URL.
    case badLocation(text: String, reason: String)
    /// The database server could not be reached or refused the connection.
    case unreachable(location: String, reason: String)
    /// The PostgreSQL server would not make a commit durable (`fsync` is off).
    case notDurable(setting: String, found: String?)
    /// The database refused or failed a read.
    case readFailed(location: String, reason: String)
    /// The database was closed (the controller is shutting down); nothing more is read or written.
    case closed(path: String)
    /// A schema migration failed; the database is left at the last migration that committed.
    case migrationFailed(reason: String)

    // MARK: - Rows

    /// A value could not be turned into the JSON text the store keeps.
    case encodingFailed(what: String, reason: String)
    /// A stored row could not be read back into its type: the file was edited or written by a
    /// newer schema.
    case decodingFailed(what: String, reason: String)
    /// A journal sequence does not fit SQLite's signed 64-bit integer.
    case sequenceOutOfRange(UInt64)
    /// The journal ends on entries no signature vouches for. A controller signs the last entry of
    /// every write it commits, so these were put there by something else; a controller that built
    /// on them would vouch for them with its next signature.
    case unsignedJournalTail(from: UInt64, through: UInt64)
    /// The journal's last signed entry is not the head this controller started on, and is not
    /// signed with its key (`JournalTrust`): something other than this market's controllers
    /// signed it.
    case untrustedJournalHead(sequence: UInt64)
    /// The journal no longer holds the entry at `floor` this controller saw durable: it was cut
    /// back (it ends at `head`, before it) or rewritten from there (`JournalTrust.floor`).
    case journalRewound(head: UInt64, floor: UInt64)

    /// True for the refusals of a journal that stay until the database is repaired: loading it
    /// again would refuse it again.
    public var refusesJournal: Bool {
        switch self {
        case .unsignedJournalTail, .untrustedJournalHead, .journalRewound: true
        default: false
        }
    }

    // MARK: - Group commit

    /// This controller does not hold the lead of a shared database, so it may not write.
    case notLeading

    /// The transaction holding this caller's work failed to commit; nothing in it was written.
    case commitFailed(reason: String)
    /// SQLite rolled the whole batch transaction back while another item ran (for example on a
    /// full disk), so this caller's work, though it succeeded, was not written.
    case batchAborted(reason: String)

    public var description: String {
        switch self {
        case .openFailed(let path, let reason):
            "cannot open the database at \(path): \(reason)"
        case .synchronousNotFull(let found):
            "PRAGMA synchronous is \(found.map(String.init) ?? "unreadable"), not FULL (2): "
                + "commits would not be durable"
        case .journalModeNotWAL(let found):
            "PRAGMA journal_mode is \(found ?? "unreadable"), not wal"
        case .badLocation(let text, let reason):
            "cannot use \(text.isEmpty ? "an empty database location" : text) as a database: \(reason)"
        case .unreachable(let location, let reason):
            "cannot reach the database at \(location): \(reason)"
        case .notDurable(let setting, let found):
            "the database server has \(setting) = \(found ?? "unreadable"): commits would not be durable"
        case .readFailed(let location, let reason):
            "cannot read the database at \(location): \(reason)"
        case .closed(let path):
            "the database at \(path) is closed"
        case .migrationFailed(let reason):
            "schema migration failed: \(reason)"
        case .encodingFailed(let what, let reason):
            "cannot encode \(what): \(reason)"
        case .decodingFailed(let what, let reason):
            "cannot decode stored \(what): \(reason)"
        case .sequenceOutOfRange(let sequence):
            "journal sequence \(sequence) does not fit a signed 64-bit integer"
        case .unsignedJournalTail(let from, let through):
            "journal entries \(from) through \(through) carry no controller signature, and no signed entry follows them: "
                + "a controller signs the last entry of every write it commits, so something else wrote them; "
                + "refusing to build on them (remove them, or restore the database from a backup)"
        case .untrustedJournalHead(let sequence):
            "journal entry \(sequence), the last signed one, is not signed by this controller's key, nor is it the head the "
                + "controller started on: something other than this market's controllers signed it; refusing to build on it "
                + "(remove the entries after the last one this key signed, or restore the database from a backup; a restart "
                + "would take the journal as it stands)"
        case .journalRewound(let head, let floor):
            "the journal no longer holds entry \(floor) as this controller saw it committed (it now ends at \(head)): it was "
                + "cut back or rewritten; refusing to build on it. After a deliberate restore from a backup, or a database "
                + "failover that lost committed writes, restart the controllers: a restart takes the journal as it stands"
        case .notLeading:
            "this controller does not lead the shared database, so it does not write"
        case .commitFailed(let reason):
            "the transaction failed to commit, nothing in it was written: \(reason)"
        case .batchAborted(let reason):
            "the batch transaction was rolled back by another item, nothing in it was written: \(reason)"
        }
    }
}
