import Foundation
import Synchronization

/// A workload that runs another unchanged and counts the steps asked of its `advance`.
///
/// It lets a bench or a test see how much a verifier really executed (the referee's one step, an
/// auditor's one segment) instead of trusting what the verifier's code says it does. The states
/// and hashes are the wrapped workload's, bit for bit. A class, so the handle the caller keeps and
/// the copy inside `WorkloadRunner` share one tally; a `Mutex`, because a runner is `Sendable` and
/// may step from several threads at once.
public final class CountingWorkload<Base: Workload>: Workload {
    public typealias State = Base.State

    public let base: Base
    private let advanced = Mutex(0)

    public init(_ base: Base) {
        self.base = base
    }

    /// Steps passed to `advance` since this wrapper was made or last `reset()`. Counted on entry,
    /// so steps of a call that then fails are included: they are work the caller set in motion.
    public var stepsAdvanced: Int {
        advanced.withLock { $0 }
    }

    /// Sets the count back to zero, so the next measurement counts only its own steps.
    public func reset() {
        advanced.withLock { $0 = 0 }
    }

    public var runtime: String { base.runtime }
    public var totalSteps: Int { base.totalSteps }
    public var checkpointInterval: Int { base.checkpointInterval }

    public func initialState() throws(WorkloadError) -> State {
        try base.initialState()
    }

    public func advance(_ state: inout State, steps count: Int) throws(WorkloadError) -> Float? {
        advanced.withLock { $0 += count }
        return try base.advance(&state, steps: count)
    }

    public func encode(_ state: State) throws(WorkloadError) -> Data {
        try base.encode(state)
    }

    public func decode(_ bytes: Data) throws(WorkloadError) -> State {
        try base.decode(bytes)
    }

    public func stepCount(of state: State) -> Int? {
        base.stepCount(of: state)
    }

    public func result(of finalState: State) throws(WorkloadError) -> Data {
        try base.result(of: finalState)
    }
}
