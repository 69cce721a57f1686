import GRDB

extension StoreMigrations {
    /// Stored clock deadlines. Landed 2026-11-21; never edit, add a new migration instead.
    static let deadlines = "2026-11-21-deadlines"

    /// One due time per (kind, id): auction close, lease check, settlement, dispute moves.
    ///
    /// Deadlines live in the database, written in the same transaction as the state that set them,
    /// so a restarted controller re-arms exactly the timers it had. The `due_at` index serves
    /// "what is due now" and "when is the next one".
    static func createDeadlines(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE deadlines (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                due_at INTEGER NOT NULL,
                PRIMARY KEY (kind, id)
            );

            CREATE INDEX deadlines_by_due_at ON deadlines (due_at, kind, id);
            """)
    }
}
