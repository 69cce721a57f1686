/// Counters kept by a `GroupCommitWriter`, for tests and `/metrics`.
///
/// `itemsCommitted / transactionsCommitted` is the average batch size: how many acknowledged
/// writes shared one fsync.
public struct GroupCommitStatistics: Sendable, Equatable {
    /// Batch transactions that committed.
    public var transactionsCommitted = 0
    /// Batch transactions that did not commit (commit failed, or SQLite aborted the batch).
    public var transactionsFailed = 0
    /// Work items whose changes are in a committed transaction.
    public var itemsCommitted = 0
    /// Work items that threw; each was rolled back alone to its savepoint.
    public var itemsFailed = 0
    /// The most items one transaction has held.
    public var largestBatch = 0
    /// SQLite only: checkpoints the `WALCheckpointer` ran off the writer's path (0 on PostgreSQL).
    public var backgroundCheckpoints = 0

    public init() {}
}
