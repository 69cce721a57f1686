import PostgresNIO
import Synchronization
import TenderCore

/// Group commit on PostgreSQL, with the SQLite writer's promises (`GroupCommitWriter`): writes
/// queue in call order; one batch at a time runs every queued write in one transaction, each in
/// its own savepoint, with `synchronous_commit = on`; each caller is answered once the
/// transaction has committed (its own error if its savepoint was rolled back, the transaction's
/// if the commit failed).
///
/// A commit whose answer is lost with the connection is reported as failed though it may have
/// happened: the controller then reloads the market from the database, which says which.
/// Writes run on the connection that holds the leader lock, and fail when there is none.
final class PostgresGroupCommitWriter: Sendable {
    /// The connection that holds the leader lock: writes run only there, so a controller that lost
    /// the lead (its connection gone) cannot write.
    private let leadership: PostgresLeadership
    private let logger: Logger
    let maximumBatchSize: Int
    private let state = Mutex(State())

    private struct State: Sendable {
        var pending: [Item] = []
        var isDraining = false
        var statistics = GroupCommitStatistics()
    }

    private struct Item: Sendable {
        let records: MarketRecords
        let now: Timestamp
        let continuation: CheckedContinuation<Void, any Error>
    }

    init(leadership: PostgresLeadership, logger: Logger, maximumBatchSize: Int = 1_000) {
        self.leadership = leadership
        self.logger = logger
        self.maximumBatchSize = max(maximumBatchSize, 1)
    }

    var statistics: GroupCommitStatistics { state.withLock { $0.statistics } }

    /// Queued on the caller's executor before the first suspension, so calls keep their order.
    nonisolated(nonsending) func write(_ records: MarketRecords, at now: Timestamp) async throws {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(Item(records: records, now: now, continuation: continuation))
        }
    }

    private func enqueue(_ item: Item) {
        let startDraining = state.withLock { state in
            state.pending.append(item)
            guard !state.isDraining else { return false }
            state.isDraining = true
            return true
        }
        if startDraining { Task { await drain() } }
    }

    /// Runs batches until nothing is queued. Only one drain runs at a time (`isDraining`).
    private func drain() async {
        while true {
            let batch: [Item] = state.withLock { state in
                let count = min(state.pending.count, maximumBatchSize)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                if batch.isEmpty { state.isDraining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let (errors, transactionError) = await run(batch)
            state.withLock { state in
                let failed = errors.count { $0 != nil }
                state.statistics.largestBatch = max(state.statistics.largestBatch, batch.count)
                state.statistics.itemsFailed += failed
                if transactionError == nil {
                    state.statistics.transactionsCommitted += 1
                    state.statistics.itemsCommitted += errors.count - failed
                } else {
                    state.statistics.transactionsFailed += 1
                }
            }
            for (index, item) in batch.enumerated() {
                // An item's own error first; one that was written is undone by a failed commit.
                var error: (any Error)? = transactionError
                if index < errors.count, let own = errors[index] { error = own }
                if let error { item.continuation.resume(throwing: error) } else { item.continuation.resume() }
            }
        }
    }

    /// One transaction for the batch: each item's own error (nil when it was written), and the
    /// transaction's error when it did not commit.
    private func run(_ batch: [Item]) async -> (errors: [(any Error)?], transactionError: StoreError?) {
        guard let connection = leadership.connection else { return ([], .notLeading) }
        var errors: [(any Error)?] = []
        do {
            try await connection.query("BEGIN", logger: logger)
            do {
                try await connection.query("SET LOCAL synchronous_commit = on", logger: logger)
                for item in batch {
                    try await connection.query("SAVEPOINT item", logger: logger)
                    do {
                        try await item.records.write(at: item.now, on: connection, logger: logger)
                        try await connection.query("RELEASE SAVEPOINT item", logger: logger)
                        errors.append(nil)
                    } catch let error as PSQLError where error.serverInfo != nil {
                        // The server refused a statement: undo this item alone.
                        try await connection.query("ROLLBACK TO SAVEPOINT item", logger: logger)
                        errors.append(StoreError.commitFailed(reason: PostgresMarketStorage.describe(error)))
                    } catch let error as StoreError {
                        try await connection.query("ROLLBACK TO SAVEPOINT item", logger: logger)
                        errors.append(error)
                    }
                }
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            return (errors, nil)
        } catch {
            return (errors, .commitFailed(reason: PostgresMarketStorage.describe(error)))
        }
    }
}

extension MarketRecords {
    /// Writes the records inside the writer's transaction, one statement each.
    func write(at now: Timestamp, on connection: PostgresConnection, logger: Logger) async throws {
        for entry in journal {
            let c = try JournalColumns(entry)
            try await connection.query("""
                INSERT INTO journal (sequence, time, operation, postings, previous_hash, hash, request, cause, signature)
                VALUES (\(c.sequence), \(c.time), \(c.operation), \(c.postings), \(c.previousHash), \(c.hash), \(c.request), \(c.cause), \(c.signature))
                """, logger: logger)
        }
        var documents: [(kind: String, id: String, json: String)] = []
        try forEachDocument { kind, id, json in documents.append((kind, id, json)) }
        if !documents.isEmpty {
            // One statement for every document of the change.
            try await connection.query("""
                INSERT INTO documents (kind, id, body, updated_at)
                SELECT kind, id, body, \(now.millis) FROM unnest(\(documents.map(\.kind))::text[], \(documents.map(\.id))::text[], \(documents.map(\.json))::text[]) AS d(kind, id, body)
                ON CONFLICT (kind, id) DO UPDATE
                SET body = excluded.body, updated_at = excluded.updated_at, revision = nextval('tender_document_revision')
                """, logger: logger)
        }
        for deadline in deadlines {
            try await connection.query("""
                INSERT INTO deadlines (kind, id, due_at) VALUES (\(deadline.kind), \(deadline.id), \(deadline.dueAt.millis))
                ON CONFLICT (kind, id) DO UPDATE SET due_at = excluded.due_at
                """, logger: logger)
        }
        for (kind, id) in removedDeadlines {
            try await connection.query("DELETE FROM deadlines WHERE kind = \(kind) AND id = \(id)", logger: logger)
        }
    }
}
