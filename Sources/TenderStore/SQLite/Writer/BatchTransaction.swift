import GRDB

/// One group-commit transaction: every item of a batch in one `BEGIN IMMEDIATE ... COMMIT`, each
/// item in its own savepoint, and what to tell each caller afterwards.
///
/// Kept apart from `GroupCommitWriter` so the transaction rules read in one place: an item that
/// throws is rolled back alone; if the commit fails, or SQLite rolls the whole transaction back
/// while an item runs, no item's changes survive and every item that had succeeded gets the error.
/// The last closing item is told it closes the batch; if it fails after an earlier closing item
/// succeeded, the whole batch is rolled back the same way.
struct BatchTransaction {
    /// Each item's settlement, in batch order, for the items that ran.
    private let settlements: [PendingWrite.Settlement]
    /// Items that never ran because the transaction was gone before their turn.
    private let skipped: [PendingWrite]
    /// Nil when the transaction committed.
    private let transactionError: StoreError?
    private let batchSize: Int

    /// Runs the batch on the writer's thread. Never throws: every outcome is delivered to callers.
    static func run(_ batch: [PendingWrite], in db: Database) -> BatchTransaction {
        var settlements: [PendingWrite.Settlement] = []
        settlements.reserveCapacity(batch.count)
        var abortedBy: String?
        let closer = batch.lastIndex { $0.closes }
        do {
            try db.inTransaction(.immediate) {
                for (index, item) in batch.enumerated() {
                    let settlement = item.run(db, index == closer)
                    settlements.append(settlement)
                    // A failing statement can make SQLite roll back the whole transaction (e.g.
                    // SQLITE_FULL); the items before it are then lost too.
                    guard db.isInsideTransaction else {
                        let reason = "SQLite rolled back the transaction while item "
                            + "\(settlements.count) of \(batch.count) ran"
                        abortedBy = reason
                        throw StoreError.batchAborted(reason: reason)
                    }
                }
                // The closing item failed, but closing work before it was written: committing
                // would leave that work unclosed (for the market, a journal head unsigned).
                if let closer, !settlements[closer].succeeded,
                   batch.indices.contains(where: { $0 < closer && batch[$0].closes && settlements[$0].succeeded }) {
                    let reason = "item \(closer + 1) of \(batch.count), which closes the batch, failed after earlier closing items were written"
                    abortedBy = reason
                    throw StoreError.batchAborted(reason: reason)
                }
                return .commit
            }
            return BatchTransaction(
                settlements: settlements, skipped: [], transactionError: nil, batchSize: batch.count
            )
        } catch {
            let failure: StoreError = if let abortedBy {
                .batchAborted(reason: abortedBy)
            } else {
                .commitFailed(reason: String(describing: error))
            }
            return BatchTransaction(
                settlements: settlements, skipped: Array(batch.dropFirst(settlements.count)),
                transactionError: failure, batchSize: batch.count
            )
        }
    }

    /// A batch that never ran: every caller gets `error`, nothing was written.
    static func refused(_ batch: [PendingWrite], _ error: StoreError) -> BatchTransaction {
        BatchTransaction(settlements: [], skipped: batch, transactionError: error, batchSize: batch.count)
    }

    /// True when the transaction committed.
    var committed: Bool { transactionError == nil }

    /// Adds this batch to the writer's counters.
    func record(in statistics: inout GroupCommitStatistics) {
        let succeeded = settlements.count { $0.succeeded }
        statistics.itemsFailed += settlements.count - succeeded
        statistics.largestBatch = max(statistics.largestBatch, batchSize)
        if transactionError == nil {
            statistics.transactionsCommitted += 1
            statistics.itemsCommitted += succeeded
        } else {
            statistics.transactionsFailed += 1
        }
    }

    /// Resumes every caller of the batch exactly once.
    func resumeCallers() {
        for settlement in settlements { settlement.resume(transactionError) }
        if let transactionError {
            for item in skipped { item.fail(transactionError) }
        }
    }
}
