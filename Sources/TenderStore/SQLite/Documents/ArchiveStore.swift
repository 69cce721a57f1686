import GRDB
import TenderCore

/// The `archive` table: finished orders, leases and disputes, listed from their rows, read from
/// their documents.
enum ArchiveStore {
    static func put(_ rows: [ArchiveRow], in db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO archive (kind, id, number, state, first, second, parent) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for row in rows {
            try statement.execute(arguments: [
                row.kind, row.id, Int64(clamping: row.number), row.state, row.first, row.second,
                row.parent.map { Int64(clamping: $0) },
            ])
        }
    }

    /// The documents `query` selects, in id order.
    static func bodies(_ query: ArchiveQuery, in db: Database) throws -> [String] {
        guard query.limit > 0 else { return [] }
        if let sides = query.sides {
            return ArchiveQuery.merge(try sides.map { try page($0, in: db) }, limit: query.limit, id: \.number).map(\.body)
        }
        return try page(query, in: db).map(\.body)
    }

    private static func page(_ query: ArchiveQuery, in db: Database) throws -> [(number: UInt64, body: String)] {
        let (conditions, values) = query.conditions(table: "a", placeholder: { "?\($0)" }, firstIndex: 3)
        var sql = "SELECT a.number, d.body FROM archive a INDEXED BY \(query.index) JOIN documents d ON d.kind = a.kind AND d.id = a.id WHERE a.kind = ?1 AND a.number > ?2"
        sql += conditions
        var arguments: StatementArguments = [query.kind, Int64(clamping: query.after)]
        for value in values {
            switch value {
            case .text(let text): arguments += [text]
            case .number(let number): arguments += [Int64(clamping: number)]
            }
        }
        sql += " ORDER BY a.number LIMIT \(query.limit)"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            (UInt64(clamping: row[0] as Int64), row[1] as String)
        }
    }

    /// Calls `body` with the id and JSON text of every document of `kind` that is not archived.
    static func forEachLiveBody(kind: String, in db: Database, _ body: (String, String) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT d.id, d.body FROM documents d
            WHERE d.kind = ? AND NOT EXISTS (SELECT 1 FROM archive a WHERE a.kind = d.kind AND a.id = d.id)
            ORDER BY d.id
            """, arguments: [kind])
        while let row = try rows.next() {
            try body(row[0], row[1])
        }
    }
}
