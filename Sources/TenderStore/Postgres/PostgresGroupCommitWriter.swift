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
        /// The leadership term the write was made in: it runs only in that term.
        let term: UInt64
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
            enqueue(Item(records: records, now: now, term: leadership.term, continuation: continuation))
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
            let taken: [Item] = state.withLock { state in
                let count = min(state.pending.count, maximumBatchSize)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                if batch.isEmpty { state.isDraining = false }
                return batch
            }
            guard !taken.isEmpty else { return }
            // A write made while this controller led before (computed from that term's market) is
            // refused, never run in a later term on a market that was reloaded since.
            let term = leadership.term
            for item in taken where item.term != term { item.continuation.resume(throwing: StoreError.notLeading) }
            let batch = taken.filter { $0.term == term }
            guard !batch.isEmpty else { continue }
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
    /// transaction's error when it did not commit. The whole batch goes first as a few statements
    /// (`PostgresBatch`); only if the server refuses one is it run again item by item.
    private func run(_ batch: [Item]) async -> (errors: [(any Error)?], transactionError: StoreError?) {
        guard let term = batch.first?.term, let connection = leadership.connection(inTerm: term) else { return ([], .notLeading) }
        do {
            let combined = try PostgresBatch(batch.map { ($0.records, $0.now) })
            try await transaction(on: connection) { try await combined.write(on: connection, logger: logger) }
            return (Array(repeating: nil, count: batch.count), nil)
        } catch let error as PSQLError where error.serverInfo != nil {
            // Refused and rolled back: find the write that caused it.
        } catch is StoreError {
            // A write that cannot be encoded: it alone is refused, below.
        } catch {
            return ([], .commitFailed(reason: PostgresMarketStorage.describe(error)))
        }
        return await runItemByItem(batch, on: connection)
    }

    /// BEGIN, `synchronous_commit = on`, `body`, COMMIT; ROLLBACK if anything throws.
    private func transaction(on connection: PostgresConnection, _ body: () async throws -> Void) async throws {
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SET LOCAL synchronous_commit = on", logger: logger)
            try await body()
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// The batch again, each item in its own savepoint, so a refusal undoes its own item alone.
    private func runItemByItem(_ batch: [Item], on connection: PostgresConnection) async -> (errors: [(any Error)?], transactionError: StoreError?) {
        var errors: [(any Error)?] = []
        do {
            try await transaction(on: connection) {
                for item in batch {
                    try await connection.query("SAVEPOINT item", logger: logger)
                    do {
                        try await PostgresBatch([(item.records, item.now)]).write(on: connection, logger: logger)
                        try await connection.query("RELEASE SAVEPOINT item", logger: logger)
                        errors.append(nil)
                    } catch let error as PSQLError where error.serverInfo != nil {
                        try await connection.query("ROLLBACK TO SAVEPOINT item", logger: logger)
                        errors.append(StoreError.commitFailed(reason: PostgresMarketStorage.describe(error)))
                    } catch let error as StoreError {
                        try await connection.query("ROLLBACK TO SAVEPOINT item", logger: logger)
                        errors.append(error)
                    }
                }
            }
            return (errors, nil)
        } catch {
            return (errors, .commitFailed(reason: PostgresMarketStorage.describe(error)))
        }
    }
}
