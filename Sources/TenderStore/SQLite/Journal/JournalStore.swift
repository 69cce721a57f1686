import Foundation
import GRDB
import TenderCore

/// Reads and appends the ledger journal inside a caller's transaction.
///
/// Functions on a `Database` rather than a connection of their own, so the controller writes an
/// operation's state change and its journal entries in one transaction (DESIGN section 10).
/// Entries are stored as `JournalColumns`.
public enum JournalStore {
    /// Appends entries in order. Each must extend the stored head (next sequence, previous hash),
    /// or the schema's trigger refuses it and the statement changes nothing.
    public static func append(_ entries: some Sequence<JournalEntry>, in db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO journal (sequence, time, operation, postings, previous_hash, hash, request, cause, signature)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for entry in entries {
            let c = try JournalColumns(entry)
            try statement.execute(arguments: [
                c.sequence, c.time, c.operation, c.postings, c.previousHash, c.hash, c.request, c.cause, c.signature,
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
        try JournalColumns(
            sequence: row.decode(Int64.self, atIndex: 0), time: row.decode(Int64.self, atIndex: 1),
            operation: row.decode(String.self, atIndex: 2), postings: row.decode(String.self, atIndex: 3),
            previousHash: row.decode(String.self, atIndex: 4), hash: row.decode(String.self, atIndex: 5),
            request: row.decode(String?.self, atIndex: 6), cause: row.decode(String?.self, atIndex: 7),
            signature: row.decode(String?.self, atIndex: 8)
        ).entry()
    }
}
