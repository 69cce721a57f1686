import Foundation
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
    /// `exec` programs are not run here (no sandbox, and the operator did not allow running them
    /// unconfined); the reason.
    case execRefused(String)
    /// A local file operation failed.
    case io(String)
    /// The checkpoint schedule or Merkle tree could not be built.
    case commitment(CommitmentError)
}

extension WorkloadError: CustomStringConvertible {
    /// What went wrong, in words for the person reading a log or a terminal.
    public var description: String {
        switch self {
        case .csv(let line, let message): "CSV line \(line): \(message)"
        case .invalidConfig(let problems): "invalid workload: \(problems.joined(separator: "; "))"
        case .badState(let message): "bad state: \(message)"
        case .stateMismatch(let message): "state of another job: \(message)"
        case .stepMismatch(let expected, let found): "the state is at step \(found), not \(expected)"
        case .stepsOutOfRange(let start, let count, let total): "steps \(start)..<\(start + count) are outside 0...\(total)"
        case .programHashMismatch(let expected, let actual): "the program's SHA-256 is \(actual), not the pinned \(expected)"
        case .programFailed(let command, let status, let stderr):
            "'\(command)' exited with status \(status)\(stderr.isEmpty ? "" : ": \(stderr.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))")"
        case .programTimedOut(let command, let seconds): "'\(command)' did not finish within \(seconds)s; its processes were killed"
        case .execRefused(let reason): "exec jobs are not run here: \(reason)"
        case .io(let message): message
        case .commitment(let error): "commitment: \(error)"
        }
    }
}
