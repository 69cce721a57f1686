import PostgresNIO
import Synchronization

/// The leader lock of a shared database: a session advisory lock held on a connection of its own,
/// for as long as that connection lives. Whoever holds it writes; the others follow.
///
/// PostgreSQL frees a session lock when its session ends: at once when the leader's process dies
/// (its socket closes). A leader that is alive but stuck (stopped, swapping, cut off) is fenced:
/// while it leads, it stamps `tender_leader.heartbeat_at` with the database's clock every second;
/// a follower that finds the stamp older than `staleAfter` ends the lock holder's session
/// (`pg_terminate_backend`), which aborts whatever that session was writing and frees the lock.
/// The writer uses this same connection, so a controller whose lock session is gone cannot write
/// either; each acquisition starts a new `term`, and a write queued in an earlier term is refused
/// rather than run in a later one. The lock's session runs with short TCP keepalives, so a leader
/// whose machine vanished is noticed by the server in seconds too.
final class PostgresLeadership: Sendable {
    private let location: PostgresLocation
    private let logger: Logger
    private let held = Mutex<Held>(Held())

    private struct Held: Sendable {
        var connection: PostgresConnection?
        var term: UInt64 = 0
        var heartbeat: Task<Void, Never>?
    }

    /// How often the leader stamps its heartbeat, and how long the server has to answer one: long
    /// enough that a loaded machine (or a large batch ahead of it on the connection) is not taken
    /// for a dead session; a dead network is the TCP keepalives' to find.
    static let heartbeatInterval: Duration = .seconds(1)
    static let heartbeatTimeout: Duration = .seconds(15)
    /// How old a leader's heartbeat may be before a follower ends its session.
    static let staleAfterSeconds = 10

    init(location: PostgresLocation, logger: Logger) {
        self.location = location
        self.logger = logger
    }

    /// The connection holding the lock, while it is open.
    var connection: PostgresConnection? {
        held.withLock { held in
            guard let open = held.connection, !open.isClosed else { return nil }
            return open
        }
    }

    /// The connection holding the lock, if it was taken in `term`.
    func connection(inTerm term: UInt64) -> PostgresConnection? {
        held.withLock { held in
            guard held.term == term, let open = held.connection, !open.isClosed else { return nil }
            return open
        }
    }

    /// The current term: it grows each time this controller takes the lock.
    var term: UInt64 { held.withLock { $0.term } }

    var isLeading: Bool { connection != nil }

    /// Takes the lock if no other session holds it and records `url` as where writes go. A
    /// holder whose heartbeat is stale has its session ended first, so the next try can succeed.
    func tryToLead(advertising url: String?, at millis: Int64) async -> Bool {
        if isLeading { return true }
        let connection: PostgresConnection
        do {
            // Short keepalives on the lock's session: a leader whose machine vanished frees the
            // lock in seconds rather than after the kernel's two hours.
            connection = try await PostgresMarketStorage.connect(location, logger: logger, startupParameters: [
                ("tcp_keepalives_idle", "5"), ("tcp_keepalives_interval", "1"), ("tcp_keepalives_count", "3"),
                ("application_name", "tender-controller leader lock"),
            ])
        } catch {
            logger.debug("cannot reach the database to take the leader lock", metadata: ["error": "\(error)"])
            return false
        }
        do {
            var locked = false
            let rows = try await connection.query("SELECT pg_try_advisory_lock(\(PostgresSchema.leaderLock))", logger: logger)
            for try await value in rows.decode(Bool.self) { locked = value }
            guard locked else {
                try await fenceStaleLeader(on: connection)
                try? await connection.close()
                return false
            }
            try await connection.query("""
                INSERT INTO tender_leader (id, url, since, heartbeat_at) VALUES (1, \(url), \(millis), clock_timestamp())
                ON CONFLICT (id) DO UPDATE SET url = excluded.url, since = excluded.since, heartbeat_at = excluded.heartbeat_at
                """, logger: logger)
            let beating = Task { [weak self] in
                guard let self else { return }
                await self.beat(connection)
            }
            held.withLock { held in
                held.heartbeat?.cancel()
                held = Held(connection: connection, term: held.term + 1, heartbeat: beating)
            }
            return true
        } catch {
            logger.warning("could not take the leader lock", metadata: ["error": "\(PostgresMarketStorage.describe(error))"])
            try? await connection.close()
            return false
        }
    }

    /// Ends the session that holds the lock if its heartbeat is older than `staleAfterSeconds`.
    private func fenceStaleLeader(on connection: PostgresConnection) async throws {
        let key = PostgresSchema.leaderLock
        let rows = try await connection.query("""
            SELECT pg_terminate_backend(l.pid) FROM pg_locks l, tender_leader t
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = \(key >> 32)::oid AND l.objid = \(key & 0xFFFF_FFFF)::oid
              AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND t.id = 1 AND t.heartbeat_at < clock_timestamp() - make_interval(secs => \(Self.staleAfterSeconds))
            """, logger: logger)
        for try await ended in rows.decode(Bool.self) where ended {
            logger.critical("the leading controller stopped stamping its heartbeat: ended its database session so another can lead")
        }
    }

    /// While leading: stamps the heartbeat every second. A stamp the server does not answer in
    /// time closes the session (letting the lock and any hung write go); a refusal (the session is
    /// inside a failed write transaction) still shows the server is there.
    private func beat(_ connection: PostgresConnection) async {
        while !Task.isCancelled, !connection.isClosed {
            let answered = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    do {
                        try await connection.query("UPDATE tender_leader SET heartbeat_at = clock_timestamp() WHERE id = 1", logger: self.logger)
                        return true
                    } catch let error as PSQLError where error.serverInfo != nil {
                        return true
                    } catch {
                        return false
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: Self.heartbeatTimeout)
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            guard answered else {
                if !Task.isCancelled {
                    logger.critical("the leader lock's database session did not answer; letting the lead go")
                }
                try? await connection.close()
                return
            }
            try? await Task.sleep(for: Self.heartbeatInterval)
        }
    }

    /// Lets the lock go (a graceful stop hands the lead over at once).
    func resign() async {
        let released = held.withLock { held -> PostgresConnection? in
            defer { held.connection = nil; held.heartbeat?.cancel(); held.heartbeat = nil }
            return held.connection
        }
        try? await released?.close()
    }
}
