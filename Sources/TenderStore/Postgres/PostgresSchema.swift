import PostgresNIO

/// The PostgreSQL schema's history, as on SQLite: named migrations, run in order, never edited.
///
/// Every controller on a database runs `migrate` at start-up; a transaction-scoped advisory lock
/// makes the second wait for the first, so a migration runs once. The journal's checks are the
/// SQLite ones: each row extends the head (next sequence, previous hash), and rows are never
/// updated, deleted or truncated.
enum PostgresSchema {
    /// The advisory lock key the migrations hold ('tndr' + 1).
    static let migrationLock: Int64 = 0x746E_6472_0000_0001
    /// The session advisory lock the leading controller holds for as long as it leads ('tndr' + 2).
    static let leaderLock: Int64 = 0x746E_6472_0000_0002

    static let migrations: [(name: String, statements: [String])] = [
        ("2026-11-27-initial", [
            """
            CREATE TABLE journal (
                sequence BIGINT PRIMARY KEY CHECK (sequence >= 1),
                time BIGINT NOT NULL,
                operation TEXT NOT NULL,
                postings TEXT NOT NULL,
                previous_hash TEXT NOT NULL CHECK (length(previous_hash) = 64),
                hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
                request TEXT,
                cause TEXT,
                signature TEXT
            )
            """,
            """
            CREATE FUNCTION tender_journal_extends_head() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                head_sequence BIGINT;
                head_hash TEXT;
            BEGIN
                SELECT sequence, hash INTO head_sequence, head_hash FROM journal ORDER BY sequence DESC LIMIT 1;
                IF NEW.sequence IS DISTINCT FROM coalesce(head_sequence, 0) + 1
                   OR NEW.previous_hash IS DISTINCT FROM coalesce(head_hash, repeat('0', 64)) THEN
                    RAISE EXCEPTION 'journal: an entry must extend the head (next sequence, previous hash)';
                END IF;
                RETURN NEW;
            END
            $$
            """,
            """
            CREATE TRIGGER journal_extends_head BEFORE INSERT ON journal
            FOR EACH ROW EXECUTE FUNCTION tender_journal_extends_head()
            """,
            """
            CREATE FUNCTION tender_journal_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'journal: entries are append-only and cannot be changed (%)', lower(TG_OP);
            END
            $$
            """,
            """
            CREATE TRIGGER journal_no_rewrite BEFORE UPDATE OR DELETE ON journal
            FOR EACH ROW EXECUTE FUNCTION tender_journal_is_append_only()
            """,
            """
            CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON journal
            FOR EACH STATEMENT EXECUTE FUNCTION tender_journal_is_append_only()
            """,
            // Every insert or update of a document takes the next revision, so a following
            // controller can tell from one number that something changed.
            "CREATE SEQUENCE tender_document_revision",
            """
            CREATE TABLE documents (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                body TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                revision BIGINT NOT NULL DEFAULT nextval('tender_document_revision'),
                PRIMARY KEY (kind, id)
            )
            """,
            "CREATE INDEX documents_by_revision ON documents (revision)",
            // Where the controller that holds the leader lock said writes should go, and when it
            // last showed it was alive (the database's clock, so controllers' clocks do not matter).
            """
            CREATE TABLE tender_leader (
                id INT PRIMARY KEY CHECK (id = 1),
                url TEXT,
                since BIGINT NOT NULL,
                heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
            )
            """,
            """
            CREATE TABLE deadlines (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                due_at BIGINT NOT NULL,
                PRIMARY KEY (kind, id)
            )
            """,
            "CREATE INDEX deadlines_by_due_at ON deadlines (due_at, kind, id)",
        ]),
        // Finished orders, leases and disputes: one row each with what lists filter on; the record
        // stays in `documents`, and a load skips what has a row here.
        ("2026-12-06-archive", [
            """
            CREATE TABLE archive (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                number BIGINT NOT NULL,
                state TEXT NOT NULL,
                first TEXT NOT NULL,
                second TEXT,
                parent BIGINT,
                PRIMARY KEY (kind, id)
            )
            """,
            "CREATE UNIQUE INDEX archive_by_number ON archive (kind, number)",
            "CREATE INDEX archive_by_first ON archive (kind, first, number)",
            "CREATE INDEX archive_by_second ON archive (kind, second, number)",
            "CREATE INDEX archive_by_parent ON archive (kind, parent, number)",
        ]),
        // Lists filtered by a final state read only the rows in that state.
        ("2026-12-06-archive-by-state", [
            "CREATE INDEX archive_by_state ON archive (kind, state, number)",
        ]),
        // Lists filtered on a party and a state, or on both parties, read only the rows matching both.
        ("2026-12-07-archive-by-pairs", ArchiveQuery.pairIndexes),
        // The hash's index guarded nothing the chain does not and cost each append a random leaf
        // page: see SQLite's `StoreMigrations.unindexJournalHash`. Here the constraint can go alone.
        // The ALTER waits for the table's lock: behind an old controller's transaction left open,
        // start-up fails after 30 s with the reason rather than hanging.
        ("2026-12-07-journal-hash-unindexed", [
            "SET LOCAL lock_timeout = '30s'",
            "ALTER TABLE journal DROP CONSTRAINT journal_hash_key",
        ]),
    ]

    /// Runs the migrations this database has not run, under the migration lock.
    static func migrate(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS tender_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger
            )
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM tender_migrations", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO tender_migrations (name) VALUES (\(migration.name))", logger: logger)
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw StoreError.migrationFailed(reason: String(reflecting: error))
        }
    }

    /// The names of the migrations this database has run, in order.
    static func applied(on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var names: [String] = []
        let rows = try await connection.query("SELECT name FROM tender_migrations ORDER BY name", logger: logger)
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }
}
