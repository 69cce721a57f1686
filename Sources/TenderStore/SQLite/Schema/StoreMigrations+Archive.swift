import GRDB

extension StoreMigrations {
    /// The archive of finished work. Landed 2026-12-06; never edit, add a new migration instead.
    static let archive = "2026-12-06-archive"

    /// One row per finished order, lease and dispute, with the columns lists filter on; the
    /// record's JSON stays in `documents`. A load skips what has a row here, so finished work
    /// leaves memory, and lists of it are read from these indexes.
    static func createArchive(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE archive (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                number INTEGER NOT NULL,
                state TEXT NOT NULL,
                first TEXT NOT NULL,
                second TEXT,
                parent INTEGER,
                PRIMARY KEY (kind, id)
            );
            CREATE UNIQUE INDEX archive_by_number ON archive (kind, number);
            CREATE INDEX archive_by_first ON archive (kind, first, number);
            CREATE INDEX archive_by_second ON archive (kind, second, number);
            CREATE INDEX archive_by_parent ON archive (kind, parent, number);
            """)
    }

    /// The archive by final state. Landed 2026-12-06; never edit, add a new migration instead.
    static let archiveByState = "2026-12-06-archive-by-state"

    /// Lists filtered by a final state (`GET /v1/orders?state=expired`) read only the rows in
    /// that state, not every archived row of the kind.
    static func indexArchiveByState(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX archive_by_state ON archive (kind, state, number)")
    }

    /// The archive by two filters at once. Landed 2026-12-07; never edit, add a new migration.
    static let archiveByPairs = "2026-12-07-archive-by-pairs"

    /// Lists filtered on a party and a state, or on both parties (`?state=cancelled&submitter=X`,
    /// `?provider=X&submitter=Y`), read only the rows that match both: with one index per column
    /// such a page could walk every cancelled order, or every lease of one party, to find none.
    static func indexArchiveByPairs(_ db: Database) throws {
        for statement in ArchiveQuery.pairIndexes { try db.execute(sql: statement) }
    }
}
