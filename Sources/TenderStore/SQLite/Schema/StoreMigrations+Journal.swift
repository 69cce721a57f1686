import GRDB

extension StoreMigrations {
    /// The ledger journal. Landed 2026-11-21; never edit, add a new migration instead.
    static let journal = "2026-11-21-journal"

    /// One row per `JournalEntry`, append-only.
    ///
    /// The `CHECK`s and the insert trigger keep the chain's shape even against raw SQL: sequences
    /// start at 1 and have no gaps, each row links to the hash of the row before (64 zeros for the
    /// first), and the update and delete triggers make a written line permanent. Whether the
    /// hashes and postings are *right* is `Ledger.verify`'s job; the schema only refuses rewrites.
    static func createJournal(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE journal (
                sequence INTEGER PRIMARY KEY CHECK (sequence >= 1),
                time INTEGER NOT NULL,
                operation TEXT NOT NULL,
                postings TEXT NOT NULL,
                previous_hash TEXT NOT NULL CHECK (length(previous_hash) = 64),
                hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
            );

            """ + journalTriggers)
    }

    /// The journal's three triggers: an insert must extend the head, and a written line is never
    /// updated or deleted. Also run by `unindexJournalHash`, which rebuilds the table (and so must
    /// create them again); the SQL is part of both migrations, so it is never edited either.
    static let journalTriggers = """
            CREATE TRIGGER journal_extends_head
            BEFORE INSERT ON journal
            WHEN NEW.sequence IS NOT coalesce((SELECT max(sequence) FROM journal), 0) + 1
              OR NEW.previous_hash IS NOT coalesce(
                    (SELECT hash FROM journal ORDER BY sequence DESC LIMIT 1),
                    '0000000000000000000000000000000000000000000000000000000000000000')
            BEGIN
                SELECT RAISE(ABORT, 'journal: an entry must extend the head (next sequence, previous hash)');
            END;

            CREATE TRIGGER journal_no_update
            BEFORE UPDATE ON journal
            BEGIN
                SELECT RAISE(ABORT, 'journal: entries are append-only and cannot be updated');
            END;

            CREATE TRIGGER journal_no_delete
            BEFORE DELETE ON journal
            BEGIN
                SELECT RAISE(ABORT, 'journal: entries are append-only and cannot be deleted');
            END;
            """
}
