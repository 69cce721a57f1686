import GRDB

/// The schema's history: every migration the store has ever shipped, in order.
///
/// A migration is named by the date it landed and is never edited afterwards: a database in the
/// field has already run it, and GRDB records only its name. A schema change is a new migration
/// appended here. Each migration is plain SQL, so what it creates does not depend on the GRDB
/// version that runs it.
public enum StoreMigrations {
    /// Migration names in the order they run.
    public static var identifiers: [String] { migrator.migrations }

    /// The registered migrations.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(journal, migrate: createJournal)
        migrator.registerMigration(documents, migrate: createDocuments)
        migrator.registerMigration(deadlines, migrate: createDeadlines)
        migrator.registerMigration(journalEvidence, migrate: addJournalEvidence)
        migrator.registerMigration(archive, migrate: createArchive)
        migrator.registerMigration(archiveByState, migrate: indexArchiveByState)
        migrator.registerMigration(archiveByPairs, migrate: indexArchiveByPairs)
        migrator.registerMigration(journalHashUnindexed, migrate: unindexJournalHash)
        return migrator
    }

    /// Runs every migration the database has not run yet; a no-op on an up-to-date database.
    static func migrate(_ queue: DatabaseQueue) throws(StoreError) {
        do {
            try migrator.migrate(queue)
        } catch {
            throw .migrationFailed(reason: String(describing: error))
        }
    }

    /// The names of the migrations this database has run, in order.
    public static func applied(in db: Database) throws -> [String] {
        try migrator.completedMigrations(db)
    }
}
