import GRDB

extension StoreMigrations {
    /// Each journal entry's signed request, cause and controller signature. Landed 2026-11-26;
    /// never edit, add a new migration instead.
    static let journalEvidence = "2026-11-26-journal-evidence"

    /// Three nullable columns: entries written before them have none, and `ledger verify` reports
    /// such entries as unsigned.
    static func addJournalEvidence(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE journal ADD COLUMN request TEXT;
            ALTER TABLE journal ADD COLUMN cause TEXT;
            ALTER TABLE journal ADD COLUMN signature TEXT;
            """)
    }
}
