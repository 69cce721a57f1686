import PostgresNIO
import Synchronization

/// The leader lock of a shared database: a session advisory lock held on a connection of its own,
/// for as long as that connection lives. Whoever holds it writes; the others follow.
///
/// PostgreSQL frees a session lock when its session ends, so a leader that dies (SIGKILL, a lost
/// machine) frees it when the server notices the connection is gone, and the next controller's
/// `tryToLead` takes it. The writer uses this same connection, so a controller whose lock
/// connection has failed cannot write either.
final class PostgresLeadership: Sendable {
    private let location: PostgresLocation
    private let logger: Logger
    private let held = Mutex<PostgresConnection?>(nil)

    init(location: PostgresLocation, logger: Logger) {
        self.location = location
        self.logger = logger
    }

    /// The connection holding the lock, while it is open.
    var connection: PostgresConnection? {
        held.withLock { connection in
            guard let open = connection, !open.isClosed else { return nil }
            return open
        }
    }

    var isLeading: Bool { connection != nil }

    /// Takes the lock if no other session holds it and records `url` as where writes go.
    func tryToLead(advertising url: String?, at millis: Int64) async -> Bool {
        if isLeading { return true }
        let connection: PostgresConnection
        do {
            connection = try await PostgresMarketStorage.connect(location, logger: logger)
        } catch {
            logger.debug("cannot reach the database to take the leader lock", metadata: ["error": "\(error)"])
            return false
        }
        do {
            var locked = false
            let rows = try await connection.query("SELECT pg_try_advisory_lock(\(PostgresSchema.leaderLock))", logger: logger)
            for try await value in rows.decode(Bool.self) { locked = value }
            guard locked else {
                try? await connection.close()
                return false
            }
            try await connection.query("""
                INSERT INTO tender_leader (id, url, since) VALUES (1, \(url), \(millis))
                ON CONFLICT (id) DO UPDATE SET url = excluded.url, since = excluded.since
                """, logger: logger)
            held.withLock { $0 = connection }
            return true
        } catch {
            logger.warning("could not take the leader lock", metadata: ["error": "\(PostgresMarketStorage.describe(error))"])
            try? await connection.close()
            return false
        }
    }

    /// Lets the lock go (a graceful stop hands the lead over at once).
    func resign() async {
        guard let connection = held.withLock({ held -> PostgresConnection? in
            defer { held = nil }
            return held
        }) else { return }
        try? await connection.close()
    }
}
