import GRDB
import Synchronization

/// The one way the controller writes: concurrent callers share transactions (group commit), and
/// each caller is answered only after the transaction holding its work is durable.
///
/// DESIGN section 10 asks that durability not cap throughput at one fsync per request. So a call
/// to `write` queues its work; while one batch is being committed, new work keeps queueing; the
/// next batch then runs *all* queued items (up to `maximumBatchSize`), in arrival order, in one
/// `BEGIN IMMEDIATE ... COMMIT`, each item inside its own savepoint.
///
/// ## Threading
/// A `Mutex`-guarded class rather than an actor: the work is synchronous SQLite and must not block
/// a cooperative-pool thread through an fsync. Each batch runs as one
/// `DatabaseQueue.asyncWriteWithoutTransaction` job on GRDB's serial writer queue, so the work
/// closures run there, one after another, never concurrently, and never across an `await`. Between
/// batches the queue is free, so reads on the same `DatabaseQueue` interleave with write batches.
/// The mutex guards only the pending list, the draining flag and the counters; it is never held
/// while SQL runs or while a caller is resumed.
///
/// ## What a caller sees
/// - `write` returns the work's value: the work's changes are committed (with `synchronous =
///   FULL`, durable).
/// - `write` throws the work's own error: the work's savepoint was rolled back, so none of its
///   changes were written; the other items in the batch are unaffected.
/// - `write` throws `StoreError.commitFailed` or `.batchAborted`: the work ran but the whole batch
///   transaction was rolled back, so nothing from it was written. Every successful item of the
///   batch gets this error.
///
/// Work must not start, commit or roll back transactions itself, nor call back into this writer or
/// the queue synchronously. Once queued, work runs even if the calling task is cancelled, since a
/// caller who stopped waiting still needs to know whether its change happened (it can re-read).
public final class GroupCommitWriter: Sendable {
    /// The database the batches are written to.
    public let database: TenderDatabase
    /// The most items one transaction takes; the rest wait for the next one. Bounds how long one
    /// transaction holds the queue and how much a failed commit takes down with it.
    public let maximumBatchSize: Int

    private let state = Mutex(State())

    private struct State: Sendable {
        var pending: [PendingWrite] = []
        /// True from the moment a batch is scheduled until a batch ends with nothing pending.
        var isDraining = false
        var statistics = GroupCommitStatistics()
    }

    public init(database: TenderDatabase, maximumBatchSize: Int = 1_000) {
        precondition(maximumBatchSize >= 1, "a batch holds at least one item")
        self.database = database
        self.maximumBatchSize = maximumBatchSize
    }

    // MARK: - Writing

    /// Runs `work` in the next batch transaction and returns its value once that transaction has
    /// committed. See the type's documentation for what a thrown error means.
    ///
    /// `nonisolated(nonsending)`: the item is queued on the caller's executor before the first
    /// suspension, so an actor that calls `write` for command A and then for command B has A's
    /// work run before B's. The controller relies on this to append journal entries in order.
    public nonisolated(nonsending) func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(PendingWrite(work: { db, _ in try work(db) }, continuation: continuation))
        }
    }

    /// `write` for work that must know whether it is the last closing work of its batch: the
    /// market's writes, the last of which signs the journal's head, once per transaction.
    ///
    /// `work` is passed true in exactly one item of each batch holding closing work, the last. If
    /// that item throws after an earlier closing item was written, the whole batch is rolled back
    /// (`StoreError.batchAborted`), so a committed batch always ends on closed work.
    public nonisolated(nonsending) func write<T: Sendable>(
        closing work: @escaping @Sendable (Database, _ closesBatch: Bool) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(PendingWrite(closes: true, work: work, continuation: continuation))
        }
    }

    /// The counters so far.
    public var statistics: GroupCommitStatistics {
        var statistics = state.withLock { $0.statistics }
        statistics.backgroundCheckpoints = database.checkpointer?.counters.completed ?? 0
        return statistics
    }

    /// Items queued and not yet taken into a batch.
    public var pendingCount: Int {
        state.withLock { $0.pending.count }
    }

    // MARK: - Batching

    private func enqueue(_ item: PendingWrite) {
        let startDraining = state.withLock { state in
            state.pending.append(item)
            guard !state.isDraining else { return false }
            state.isDraining = true
            return true
        }
        if startDraining { scheduleBatch() }
    }

    private func scheduleBatch() {
        database.queue.asyncWriteWithoutTransaction { db in
            self.runBatch(db)
        }
    }

    /// Takes what is queued, commits it as one transaction, updates the counters, schedules the
    /// next batch if more arrived meanwhile, and only then resumes the callers.
    private func runBatch(_ db: Database) {
        let batch = state.withLock { state in
            let count = min(state.pending.count, maximumBatchSize)
            let batch = Array(state.pending.prefix(count))
            state.pending.removeFirst(count)
            return batch
        }
        // Work queued before `close` and run after it must not touch the closed connection.
        let outcome = database.isClosed
            ? BatchTransaction.refused(batch, StoreError.closed(path: database.location.displayPath))
            : BatchTransaction.run(batch, in: db)
        let more = state.withLock { state in
            outcome.record(in: &state.statistics)
            guard state.pending.isEmpty else { return true }
            state.isDraining = false
            return false
        }
        if more { scheduleBatch() }
        if outcome.committed { database.checkpointer?.noteCommit() }
        outcome.resumeCallers()
    }
}
