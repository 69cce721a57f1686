import Foundation
import GRDB
import Synchronization

/// The controller's SQLite database: one GRDB `DatabaseQueue` for reads and writes, opened
/// durable, checked and migrated, and a second connection that only checkpoints the log
/// (`WALCheckpointer`).
///
/// Opening does three things in order and refuses to return a half-ready database:
/// 1. every connection is prepared with `journal_mode = WAL` and then `synchronous = FULL` (GRDB's
///    own WAL set-up would lower it to NORMAL, so GRDB's `journalMode` option is left at `.default`
///    and WAL is switched on here, before FULL);
/// 2. the pragmas are read back and any other value is a `StoreError` (DESIGN section 10: a commit
///    that is acknowledged must survive power loss);
/// 3. the migrations run.
///
/// A `DatabaseQueue` serialises every read and write on one connection, which is all one
/// controller needs: writes go through `GroupCommitWriter`, which batches them, and reads are
/// short. Copying the log into the file is left to the checkpointer's own connection.
public struct TenderDatabase: Sendable {
    /// Where the database lives.
    public enum Location: Sendable, Equatable {
        /// A file; missing folders are created. The only durable choice.
        case file(URL)
        /// A private in-memory database for tests of code above the store. Not durable: SQLite
        /// keeps no journal file, so only `synchronous = FULL` is checked.
        case inMemory
    }

    /// How long a statement waits for another process's lock before failing with SQLITE_BUSY.
    public static let defaultBusyTimeout: TimeInterval = 5

    public let location: Location
    /// The GRDB connection. Reads may use it directly; writes should go through a
    /// `GroupCommitWriter` so they are batched.
    public let queue: DatabaseQueue
    /// Copies the write-ahead log into the file on a second connection, after the writer's
    /// commits (nil in memory, which has no log). See `WALCheckpointer`.
    public let checkpointer: WALCheckpointer?
    /// Set by `close` before the connection closes. A closed connection has no SQLite handle, and
    /// SQLite dereferences the one it is given: work that reaches the queue after `close` (a
    /// reload or a write still in flight at shutdown) must check this on the queue and not touch
    /// the database.
    private let closed = ClosedFlag()

    /// Opens (creating if needed) and migrates the database, or throws a `StoreError`.
    public init(location: Location, busyTimeout: TimeInterval = defaultBusyTimeout) throws(StoreError) {
        self.location = location
        let configuration = Self.configuration(for: location, busyTimeout: busyTimeout)
        do {
            switch location {
            case .file(let url):
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true
                )
                queue = try DatabaseQueue(path: url.path, configuration: configuration)
                checkpointer = try WALCheckpointer(path: url.path, configuration: configuration)
            case .inMemory:
                queue = try DatabaseQueue(configuration: configuration)
                checkpointer = nil
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .openFailed(path: location.displayPath, reason: String(describing: error))
        }
        try checkDurability()
        try StoreMigrations.migrate(queue)
    }

    /// Opens the database file at `url`.
    public init(path url: URL, busyTimeout: TimeInterval = defaultBusyTimeout) throws(StoreError) {
        try self.init(location: .file(url), busyTimeout: busyTimeout)
    }

    // MARK: - Access

    /// Runs a read on the queue without blocking the caller's thread; throws
    /// `StoreError.closed` once the database is closed.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        // What `queue.read` does (read-only, in one transaction so every statement sees the same
        // moment), after the check: `queue.read` touches the connection before `body` runs.
        try await queue.writeWithoutTransaction { db in
            guard !isClosed else { throw StoreError.closed(path: location.displayPath) }
            return try db.readOnly {
                var value: T?
                try db.inSavepoint {
                    value = try body(db)
                    return .commit
                }
                guard let value else { throw StoreError.readFailed(location: location.displayPath, reason: "the read returned nothing") }
                return value
            }
        }
    }

    /// True once `close` has begun. Checked on the queue, which `close` also runs on.
    public var isClosed: Bool { closed.isSet.withLock { $0 } }

    /// Reads the durability pragmas back and throws if they are not what `init` set.
    public func checkDurability() throws(StoreError) {
        let requireWAL = location != .inMemory
        do {
            try queue.inDatabase { db in try Self.checkDurability(of: db, requireWAL: requireWAL) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .openFailed(path: location.displayPath, reason: String(describing: error))
        }
    }

    /// Closes the connections, the checkpointer's first, so that the writer's, the last to close,
    /// checkpoints the log and removes it. Later accesses fail; used by tests that reopen the file.
    public func close() throws {
        closed.isSet.withLock { $0 = true }
        try checkpointer?.close()
        try queue.close()
    }
}

extension TenderDatabase.Location {
    /// The file path, or `:memory:`, for messages.
    var displayPath: String {
        switch self {
        case .file(let url): url.path
        case .inMemory: ":memory:"
        }
    }
}

/// Whether a database is closed, shared by every copy of its `TenderDatabase`.
private final class ClosedFlag: Sendable {
    let isSet = Mutex(false)
}
