/// Which step each leaf of a commitment stands for.
///
/// Leaf 0 is the initial state (step 0); leaf `i` is the state after `min(i * interval, totalSteps)`
/// steps, so a job whose length is not a multiple of the interval ends with one short segment and
/// the final state is always the last leaf. The agent, the auditor and the dispute referee all
/// derive segment boundaries from this one type so they cannot disagree about them.
public struct CheckpointSchedule: Sendable, Equatable, Hashable {
    public let totalSteps: Int
    public let interval: Int

    /// The most steps a schedule may have: far past any real job, and small enough that no leaf or
    /// step arithmetic can overflow, whatever numbers a commitment from a stranger carries.
    public static let maximumSteps = 1 << 40

    public init(totalSteps: Int, interval: Int) throws(CommitmentError) {
        guard (1...Self.maximumSteps).contains(totalSteps), (1...Self.maximumSteps).contains(interval) else {
            throw .badSchedule(totalSteps: totalSteps, interval: interval)
        }
        self.totalSteps = totalSteps
        self.interval = interval
    }

    /// Leaves in the tree: `ceil(totalSteps / interval) + 1`.
    public var leafCount: Int { (totalSteps + interval - 1) / interval + 1 }

    /// Segments (leaf-to-leaf re-executions an auditor can sample): `leafCount - 1`.
    public var segmentCount: Int { leafCount - 1 }

    /// The step count of the state committed at `leaf`.
    public func step(ofLeaf leaf: Int) throws(CommitmentError) -> Int {
        guard leaf >= 0, leaf < leafCount else { throw .indexOutOfRange(index: leaf, leafCount: leafCount) }
        return min(leaf * interval, totalSteps)
    }

    /// Steps from leaf `segment` to leaf `segment + 1`.
    public func length(ofSegment segment: Int) throws(CommitmentError) -> Int {
        guard segment >= 0, segment < segmentCount else { throw .indexOutOfRange(index: segment, leafCount: leafCount) }
        return try step(ofLeaf: segment + 1) - step(ofLeaf: segment)
    }

    /// True when the state after `step` steps is committed as a leaf.
    public func isCheckpoint(step: Int) -> Bool {
        step == totalSteps || (step >= 0 && step < totalSteps && step % interval == 0)
    }
}
