import GRDB

/// One caller's queued work, with its generic result type erased so a batch can hold any mix.
///
/// The caller's continuation is resumed exactly once: by the `Settlement` that `run` returns (once
/// the batch's transaction has committed or failed), or by `fail` when the batch never ran it.
struct PendingWrite: Sendable {
    /// Runs the work in its own savepoint, on the writer's thread, inside the batch transaction;
    /// the flag tells closing work whether it is the batch's last (see `closes`).
    let run: @Sendable (Database, _ closesBatch: Bool) -> Settlement
    /// Resumes the caller with `error` without running the work.
    let fail: @Sendable (any Error) -> Void
    /// Closing work: the last closing item of a batch is told so, and the batch does not commit
    /// if that item fails after an earlier closing item succeeded (`GroupCommitWriter.write(closing:)`).
    let closes: Bool

    init<T: Sendable>(
        closes: Bool = false,
        work: @escaping @Sendable (Database, _ closesBatch: Bool) throws -> T,
        continuation: CheckedContinuation<T, any Error>
    ) {
        self.closes = closes
        run = { db, closesBatch in
            do {
                var result: T?
                try db.inSavepoint {
                    result = try work(db, closesBatch)
                    return .commit
                }
                guard let value = result else { preconditionFailure("a committed savepoint always sets its result") }
                return Settlement(succeeded: true) { transactionError in
                    if let transactionError {
                        continuation.resume(throwing: transactionError)
                    } else {
                        continuation.resume(returning: value)
                    }
                }
            } catch {
                // Rolled back to its savepoint: whatever happens to the batch, this caller gets
                // its own error and none of its changes were written.
                return Settlement(succeeded: false) { _ in continuation.resume(throwing: error) }
            }
        }
        fail = { error in continuation.resume(throwing: error) }
    }

    /// What became of one item inside the transaction, and how to tell its caller.
    struct Settlement: Sendable {
        /// True when the work returned and its savepoint was released.
        let succeeded: Bool
        /// Resumes the caller: pass nil once the transaction committed, or the error that undid it.
        let resume: @Sendable (_ transactionError: (any Error)?) -> Void
    }
}
