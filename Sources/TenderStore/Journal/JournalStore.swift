import Foundation
import GRDB
import TenderCore

/// Reads and appends the ledger journal inside a caller's transaction.
///
/// Functions on a `Database` rather than a connection of their own, so the controller writes an
/// operation's state change and its journal entries in one transaction (DESIGN section 10).
/// `operation` and `postings` are stored as `CanonicalJSON`, the same bytes the entry's hash covers,
/// so what is read back re-hashes to the stored hash and `Ledger.replay` accepts it.
public enum JournalStore {
    /// Appends entries in order. Each must extend the stored head (next sequence, previous hash),
    /// or the schema's trigger refuses it and the statement changes nothing.
    public static func append(_ entries: some Sequence<JournalEntry>, in db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO journal (sequence, time, operation, postings, previous_hash, hash, request, cause, signature)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for entry in entries {
            guard let sequence = Int64(exactly: entry.sequence) else {
                throw StoreError.sequenceOutOfRange(entry.sequence)
            }
            let operation = try StoreJSON.encode(entry.operation, what: "journal operation \(entry.sequence)")
            let postings = try StoreJSON.encode(entry.postings, what: "journal postings \(entry.sequence)")
            let request = try entry.request.map { try StoreJSON.encode($0, what: "journal request \(entry.sequence)") }
            let cause = try entry.cause.map { try StoreJSON.encode($0, what: "journal cause \(entry.sequence)") }
            try statement.execute(arguments: [
                sequence, entry.time.millis, operation, postings, entry.previousHash, entry.hash, request, cause, entry.signature,
            ])
        }
    }

    /// Up to `limit` entries with a sequence greater than `sequence`, oldest first. Page through
    /// the journal by passing the last sequence of the previous page (0 for the first page).
    public static func page(after sequence: UInt64, limit: Int, in db: Database) throws -> [JournalEntry] {
        let after = Int64(clamping: sequence)
        let rows = try Row.fetchCursor(
            db, sql: "\(select) WHERE sequence > ? ORDER BY sequence LIMIT ?", arguments: [after, max(limit, 0)]
        )
        return try Array(rows.map(entry(from:)))
    }

    /// The whole journal, oldest first.
    public static func all(in db: Database) throws -> [JournalEntry] {
        try Array(Row.fetchCursor(db, sql: "\(select) ORDER BY sequence").map(entry(from:)))
    }

    /// Calls `body` with every entry after `sequence`, oldest first, reading one row at a time, so
    /// a long journal is never held in memory whole.
    public static func forEach(after sequence: UInt64, in db: Database, _ body: (JournalEntry) throws -> Void) throws {
        let rows = try Row.fetchCursor(
            db, sql: "\(select) WHERE sequence > ? ORDER BY sequence", arguments: [Int64(clamping: sequence)]
        )
        while let row = try rows.next() {
            try body(try entry(from: row))
        }
    }

    /// The entry with this sequence, or nil if there is none.
    public static func entry(sequence: UInt64, in db: Database) throws -> JournalEntry? {
        try Row.fetchOne(db, sql: "\(select) WHERE sequence = ?", arguments: [Int64(clamping: sequence)]).map(entry(from:))
    }

    /// The last entry, or nil for an empty journal.
    public static func head(in db: Database) throws -> JournalEntry? {
        try Row.fetchOne(db, sql: "\(select) ORDER BY sequence DESC LIMIT 1").map(entry(from:))
    }

    /// How many entries are stored.
    public static func count(in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM journal") ?? 0
    }

    // MARK: - Rows

    /// The columns in the order `entry(from:)` reads them.
    private static let select = "SELECT sequence, time, operation, postings, previous_hash, hash, request, cause, signature FROM journal"

    private static func entry(from row: Row) throws -> JournalEntry {
        let sequence = try row.decode(Int64.self, atIndex: 0)
        let what = "journal entry \(sequence)"
        guard let unsigned = UInt64(exactly: sequence) else {
            throw StoreError.decodingFailed(what: what, reason: "negative sequence")
        }
        let operationText = try row.decode(String.self, atIndex: 2)
        let postingsText = try row.decode(String.self, atIndex: 3)
        let requestText = try row.decode(String?.self, atIndex: 6)
        let causeText = try row.decode(String?.self, atIndex: 7)
        return JournalEntry(
            sequence: unsigned,
            time: Timestamp(millis: try row.decode(Int64.self, atIndex: 1)),
            operation: try StoreJSON.decode(LedgerOperation.self, from: operationText, what: what),
            postings: try StoreJSON.decode([Posting].self, from: postingsText, what: what),
            previousHash: try row.decode(String.self, atIndex: 4),
            request: try requestText.map { try StoreJSON.decode(RequestEvidence.self, from: $0, what: what) },
            cause: try causeText.map { try StoreJSON.decode(EntryCause.self, from: $0, what: what) },
            hash: try row.decode(String.self, atIndex: 5),
            signature: try row.decode(String?.self, atIndex: 8)
        )
    }
}
