import Foundation
import GRDB

/// The connection set-up and the start-up check that together make a commit durable.
extension TenderDatabase {
    /// SQLite's value for `PRAGMA synchronous = FULL`.
    public static let synchronousFull = 2

    /// The log size, in pages, at which the writer's commit checkpoints by itself (SQLite's default
    /// is 1,000). The `WALCheckpointer` copies the log long before; this bound is what lets the log
    /// start again from the top under a steady load, and caps it at about 33 MB.
    public static let writerCheckpointPages = 8_000

    /// The GRDB configuration for a location: busy timeout, and WAL then FULL on every connection.
    ///
    /// WAL is set here rather than through GRDB's `journalMode = .wal`, because GRDB runs its WAL
    /// set-up after `prepareDatabase` and lowers `synchronous` to NORMAL, which loses the last
    /// commits on power failure. Setting FULL after WAL, in the same hook, keeps it.
    static func configuration(for location: Location, busyTimeout: TimeInterval) -> Configuration {
        var configuration = Configuration()
        configuration.label = "TenderStore"
        configuration.busyMode = .timeout(busyTimeout)
        let wantsWAL = location != .inMemory
        configuration.prepareDatabase { db in
            if wantsWAL {
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard mode?.lowercased() == "wal" else { throw StoreError.journalModeNotWAL(found: mode) }
            }
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if wantsWAL { try db.execute(sql: "PRAGMA wal_autocheckpoint = \(writerCheckpointPages)") }
        }
        return configuration
    }

    /// Throws unless `synchronous` is FULL and, when `requireWAL`, `journal_mode` is WAL.
    ///
    /// Public so a health check (or a test) can run it on any connection.
    public static func checkDurability(of db: Database, requireWAL: Bool) throws {
        let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous")
        guard synchronous == synchronousFull else { throw StoreError.synchronousNotFull(found: synchronous) }
        guard requireWAL else { return }
        let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode")
        guard mode?.lowercased() == "wal" else { throw StoreError.journalModeNotWAL(found: mode) }
    }
}
