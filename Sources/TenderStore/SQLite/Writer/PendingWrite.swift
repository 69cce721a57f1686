import GRDB

/// One caller's queued work, with its generic result type erased so a batch can hold any mix.
///
/// The caller's continuation is resumed exactly once: by the `Settlement` that `run` returns (once
/// the batch's transaction has committed or failed), or by `fail` when the batch never ran it.
struct PendingWrite: Sendable {
    /// Runs the work in its own savepoint, on the writer's thread, inside the batch transaction.
    let run: @Sendable (Database) -> Settlement
    /// Resumes the caller with `error` without running the work.
    let fail: @Sendable (any Error) -> Void

    init<T: Sendable>(
        work: @escaping @Sendable (Database) throws -> T,
        continuation: CheckedContinuation<T, any Error>
    ) {
        run = { db in
            do {
                var result: T?
                try db.inSavepoint {
                    result = try work(db)
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
