import GRDB

extension StoreMigrations {
    /// The journal without its index on `hash`. Landed 2026-12-07; never edit, add a new migration
    /// instead.
    static let journalHashUnindexed = "2026-12-07-journal-hash-unindexed"

    /// Rebuilds the journal without the `UNIQUE` on `hash`, keeping every row, column and trigger.
    ///
    /// The constraint guarded nothing the chain does not: the insert trigger already makes each row
    /// name its predecessor's hash at the next sequence, and `Ledger.verify` recomputes every hash,
    /// which covers the sequence, so two rows could share one only by a SHA-256 collision. Nothing
    /// looks an entry up by hash. Yet a hash is random, so its index put each append on a leaf page
    /// of its own: about half the pages a group commit wrote, and so half of what the log and its
    /// checkpoints copied, in a market whose journal no longer fits in a few pages.
    ///
    /// SQLite cannot drop a column constraint, so the table is copied, the old one dropped (which
    /// takes its triggers; `DROP TABLE` fires none) and the copy renamed, all in the migration's
    /// one transaction: a crash part-way leaves the old table as it was. It runs once, at the first
    /// start-up after the upgrade: about 12 s for a journal of a million entries on a 2-core
    /// machine. It needs about twice the journal's size free on disk: the copy passes through the
    /// write-ahead log, which keeps that size until the controller restarts, and the old table's
    /// pages stay in the file as free pages that later writes reuse. An index or trigger added to
    /// the journal by hand goes with the old table.
    static func unindexJournalHash(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE journal_rebuilt (
                sequence INTEGER PRIMARY KEY CHECK (sequence >= 1),
                time INTEGER NOT NULL,
                operation TEXT NOT NULL,
                postings TEXT NOT NULL,
                previous_hash TEXT NOT NULL CHECK (length(previous_hash) = 64),
                hash TEXT NOT NULL CHECK (length(hash) = 64),
                request TEXT,
                cause TEXT,
                signature TEXT
            );
            INSERT INTO journal_rebuilt (sequence, time, operation, postings, previous_hash, hash, request, cause, signature)
                SELECT sequence, time, operation, postings, previous_hash, hash, request, cause, signature
                FROM journal ORDER BY sequence;
            DROP TABLE journal;
            ALTER TABLE journal_rebuilt RENAME TO journal;

            """ + journalTriggers)
    }
}
