import GRDB
import TenderCore

/// The `deadlines` table: the controller's timers, kept so a restart can re-arm them.
///
/// The controller writes a deadline in the same transaction as the state that set it and removes
/// it in the transaction that handles it, so after `kill -9` the table holds exactly the timers
/// still owed. At start-up it lists what is already due and arms a timer for `next`.
public enum DeadlineStore {
    /// Sets (or moves) the deadline for (kind, id).
    public static func upsert(_ deadline: StoredDeadline, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO deadlines (kind, id, due_at) VALUES (?, ?, ?)
            ON CONFLICT (kind, id) DO UPDATE SET due_at = excluded.due_at
            """).execute(arguments: [deadline.kind, deadline.id, deadline.dueAt.millis])
    }

    /// Removes the deadline for (kind, id); returns whether there was one.
    @discardableResult
    public static func remove(kind: String, id: String, in db: Database) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM deadlines WHERE kind = ? AND id = ?")
            .execute(arguments: [kind, id])
        return db.changesCount > 0
    }

    /// The deadline for (kind, id), if one is set.
    public static func get(kind: String, id: String, in db: Database) throws -> StoredDeadline? {
        try Row.fetchOne(db, sql: "\(select) WHERE kind = ? AND id = ?", arguments: [kind, id]).map(deadline(from:))
    }

    /// Every deadline with `dueAt <= now`, earliest first (ties by kind, then id), at most `limit`.
    public static func due(at now: Timestamp, limit: Int = .max, in db: Database) throws -> [StoredDeadline] {
        let rows = try Row.fetchCursor(
            db, sql: "\(select) WHERE due_at <= ? ORDER BY due_at, kind, id LIMIT ?",
            arguments: [now.millis, max(limit, 0)]
        )
        return try Array(rows.map(deadline(from:)))
    }

    /// The earliest deadline, due or not; nil when none is set.
    public static func next(in db: Database) throws -> StoredDeadline? {
        try Row.fetchOne(db, sql: "\(select) ORDER BY due_at, kind, id LIMIT 1").map(deadline(from:))
    }

    /// Every deadline, earliest first.
    public static func all(in db: Database) throws -> [StoredDeadline] {
        try Array(Row.fetchCursor(db, sql: "\(select) ORDER BY due_at, kind, id").map(deadline(from:)))
    }

    // MARK: - Rows

    /// The columns in the order `deadline(from:)` reads them.
    private static let select = "SELECT kind, id, due_at FROM deadlines"

    private static func deadline(from row: Row) throws -> StoredDeadline {
        StoredDeadline(
            kind: try row.decode(String.self, atIndex: 0),
            id: try row.decode(String.self, atIndex: 1),
            dueAt: Timestamp(millis: try row.decode(Int64.self, atIndex: 2))
        )
    }
}
