import GRDB
import TenderCore

/// Typed access to the `documents` table: one JSON body per (kind, id).
///
/// The generic home for what the controller keeps (orders, leases, accounts, nonces): it encodes
/// its own `Codable` values and picks the kind names, so the store needs no migration when the
/// controller's types grow. Functions on a `Database` so a document changes in the same
/// transaction as the journal entries and deadlines that go with it.
public enum DocumentStore {
    /// Inserts or replaces the document at (kind, id).
    public static func put<T: Encodable>(
        kind: String, id: String, value: T, at now: Timestamp, in db: Database
    ) throws {
        try put(kind: kind, id: id, json: StoreJSON.encode(value, what: "document \(kind)/\(id)"), at: now, in: db)
    }

    /// Inserts or replaces the document at (kind, id) with JSON text encoded beforehand, so a large
    /// document is encoded before the write transaction rather than inside it.
    public static func put(kind: String, id: String, json: String, at now: Timestamp, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO documents (kind, id, body, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
            """).execute(arguments: [kind, id, json, now.millis])
    }

    /// The document at (kind, id) decoded as `T`, or nil if there is none.
    public static func get<T: Decodable>(
        _ type: T.Type = T.self, kind: String, id: String, in db: Database
    ) throws -> T? {
        guard let body = try body(kind: kind, id: id, in: db) else { return nil }
        return try StoreJSON.decode(type, from: body, what: "document \(kind)/\(id)")
    }

    /// The JSON text of the document at (kind, id), or nil if there is none.
    public static func body(kind: String, id: String, in db: Database) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT body FROM documents WHERE kind = ? AND id = ?"),
            arguments: [kind, id]
        )
    }

    /// Every document of a kind decoded as `T`, ordered by id.
    public static func all<T: Decodable>(
        _ type: T.Type = T.self, kind: String, in db: Database
    ) throws -> [StoredDocument<T>] {
        let rows = try Row.fetchCursor(
            db, sql: "SELECT id, body, updated_at FROM documents WHERE kind = ? ORDER BY id", arguments: [kind]
        )
        return try Array(rows.map { row in
            let id = try row.decode(String.self, atIndex: 0)
            let body = try row.decode(String.self, atIndex: 1)
            return StoredDocument(
                kind: kind, id: id,
                value: try StoreJSON.decode(type, from: body, what: "document \(kind)/\(id)"),
                updatedAt: Timestamp(millis: try row.decode(Int64.self, atIndex: 2))
            )
        })
    }

    /// Removes the document at (kind, id); returns whether there was one.
    @discardableResult
    public static func delete(kind: String, id: String, in db: Database) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM documents WHERE kind = ? AND id = ?")
            .execute(arguments: [kind, id])
        return db.changesCount > 0
    }

    /// How many documents of a kind are stored.
    public static func count(kind: String, in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM documents WHERE kind = ?", arguments: [kind]) ?? 0
    }
}
