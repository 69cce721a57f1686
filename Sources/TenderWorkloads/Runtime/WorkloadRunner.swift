import Foundation
import TenderCore

/// The one entry point for running a workload, shared by the agent (whole job), the auditor
/// (one segment) and the dispute referee (one step), so all three execute the same code.
///
/// States are encoded and hashed only at checkpoints; between them the typed state is advanced
/// in place, which keeps the cost of committing to the checkpoint hashes alone.
public struct WorkloadRunner: Sendable {
    public let workload: any Workload
    public let schedule: CheckpointSchedule

    /// Wraps a workload; fails when its step count or interval cannot form a schedule.
    public init(_ workload: any Workload) throws(WorkloadError) {
        self.workload = workload
        do {
            schedule = try CheckpointSchedule(totalSteps: workload.totalSteps, interval: workload.checkpointInterval)
        } catch {
            throw .commitment(error)
        }
    }

    // MARK: - Whole job (agent)

    /// Runs every step, calling `onCheckpoint` for each leaf in order (leaf 0 first, the final
    /// state last), and returns the commitment. An error thrown by the callback stops the run and
    /// is rethrown, which is how the agent cancels a job.
    public func run(onCheckpoint: (Checkpoint) throws -> Void = { _ in }) throws -> WorkloadRun {
        try runAll(workload, onCheckpoint: onCheckpoint)
    }

    private func runAll<W: Workload>(_ workload: W, onCheckpoint: (Checkpoint) throws -> Void) throws -> WorkloadRun {
        var state = try workload.initialState()
        var snapshot = StateSnapshot(step: 0, bytes: try workload.encode(state), loss: nil)
        var hashes = [snapshot.hash]
        hashes.reserveCapacity(schedule.leafCount)
        try onCheckpoint(Checkpoint(leafIndex: 0, state: snapshot))
        for segment in 0..<schedule.segmentCount {
            let loss = try workload.advance(&state, steps: try lengthOf(segment))
            snapshot = StateSnapshot(step: try stepOf(segment + 1), bytes: try workload.encode(state), loss: loss)
            hashes.append(snapshot.hash)
            try onCheckpoint(Checkpoint(leafIndex: segment + 1, state: snapshot))
        }
        let result = try workload.result(of: state)
        let tree = try MerkleTree(stateHashes: hashes)
        let commitment = try Commitment(
            stateHashes: hashes, totalSteps: schedule.totalSteps, checkpointInterval: schedule.interval, resultHash: Hashing.sha256(result)
        )
        return WorkloadRun(stateHashes: hashes, tree: tree, commitment: commitment, finalState: snapshot, result: result)
    }

    // MARK: - Pieces (verifiers)

    /// The initial state (leaf 0), which any verifier can recompute and compare.
    public func initialState() throws(WorkloadError) -> StateSnapshot {
        try makeInitial(workload)
    }

    private func makeInitial<W: Workload>(_ workload: W) throws(WorkloadError) -> StateSnapshot {
        StateSnapshot(step: 0, bytes: try workload.encode(try workload.initialState()), loss: nil)
    }

    /// Re-executes segment `segment`: from the state of leaf `segment` to the state of leaf
    /// `segment + 1`, whose hash an auditor compares with that leaf.
    public func runSegment(_ segment: Int, from state: Data) throws(WorkloadError) -> Checkpoint {
        let start = try stepOf(segment)
        let end = try runSteps(try lengthOf(segment), from: state, atStep: start)
        return Checkpoint(leafIndex: segment + 1, state: end)
    }

    /// Applies `count` steps to `state`, which is at step `step` of the job (bisection moves).
    /// Throws `stepMismatch` when the state records a different step.
    public func runSteps(_ count: Int, from state: Data, atStep step: Int) throws(WorkloadError) -> StateSnapshot {
        guard count >= 1, step >= 0, step + count <= schedule.totalSteps else {
            throw .stepsOutOfRange(start: step, count: count, totalSteps: schedule.totalSteps)
        }
        return try advance(workload, count, from: state, atStep: step)
    }

    /// Applies one step: the referee's whole cost in a dispute.
    public func runStep(from state: Data, atStep step: Int) throws(WorkloadError) -> StateSnapshot {
        try runSteps(1, from: state, atStep: step)
    }

    /// Decodes `state` (checking it belongs to this job) and the step it records, if any.
    public func validate(state: Data) throws(WorkloadError) -> Int? {
        try recordedStep(workload, state)
    }

    /// The result bytes for a final state.
    public func result(ofFinalState state: Data) throws(WorkloadError) -> Data {
        try resultOf(workload, state)
    }

    private func advance<W: Workload>(_ workload: W, _ count: Int, from bytes: Data, atStep step: Int) throws(WorkloadError) -> StateSnapshot {
        var state = try workload.decode(bytes)
        if let recorded = workload.stepCount(of: state), recorded != step {
            throw .stepMismatch(expected: step, found: recorded)
        }
        let loss = try workload.advance(&state, steps: count)
        return StateSnapshot(step: step + count, bytes: try workload.encode(state), loss: loss)
    }

    private func recordedStep<W: Workload>(_ workload: W, _ bytes: Data) throws(WorkloadError) -> Int? {
        workload.stepCount(of: try workload.decode(bytes))
    }

    private func resultOf<W: Workload>(_ workload: W, _ bytes: Data) throws(WorkloadError) -> Data {
        try workload.result(of: try workload.decode(bytes))
    }

    private func stepOf(_ leaf: Int) throws(WorkloadError) -> Int {
        do { return try schedule.step(ofLeaf: leaf) } catch { throw .commitment(error) }
    }

    private func lengthOf(_ segment: Int) throws(WorkloadError) -> Int {
        do { return try schedule.length(ofSegment: segment) } catch { throw .commitment(error) }
    }
}
