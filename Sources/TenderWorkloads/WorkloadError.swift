import TenderCore

/// Everything that can go wrong loading, running or checking a deterministic workload.
///
/// One enum for the module, thrown typed from the pure parts, so the agent and the auditor can
/// tell a bad input (the job's fault) from a state that does not decode or does not belong to
/// the job (the provider's fault) from a failure of the local machine.
public enum WorkloadError: Error, Sendable, Equatable {
    /// A CSV row could not be read; `line` is 1-based and counts the header.
    case csv(line: Int, message: String)
    /// The configuration is unusable; every problem found, each with its field name.
    case invalidConfig([String])
    /// State bytes that do not decode (truncated, wrong magic or version, inconsistent sizes).
    case badState(String)
    /// State bytes that decode but belong to another job (their config digest differs).
    case stateMismatch(String)
    /// A state whose step counter is not the step the schedule says it should be at.
    case stepMismatch(expected: Int, found: Int)
    /// A step range outside `0...totalSteps`.
    case stepsOutOfRange(start: Int, count: Int, totalSteps: Int)
    /// An `exec` program whose SHA-256 is not the pinned one; it is never run.
    case programHashMismatch(expected: String, actual: String)
    /// An `exec` program exited with a non-zero status.
    case programFailed(command: String, status: Int32, stderr: String)
    /// An `exec` program did not finish within its time limit and was terminated.
    case programTimedOut(command: String, seconds: Int64)
    /// A local file operation failed.
    case io(String)
    /// The checkpoint schedule or Merkle tree could not be built.
    case commitment(CommitmentError)
}
