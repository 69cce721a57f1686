import GRDB

extension StoreMigrations {
    /// Generic documents. Landed 2026-11-21; never edit, add a new migration instead.
    static let documents = "2026-11-21-documents"

    /// One JSON body per (kind, id): orders, leases, accounts, nonces, whatever the controller keeps.
    ///
    /// The controller owns the shape of each kind through its `Codable` types, so a new kind or a
    /// new field needs no migration. `updated_at` is the controller's `now` in milliseconds.
    static func createDocuments(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE documents (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                body TEXT NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (kind, id)
            );
            """)
    }
}
