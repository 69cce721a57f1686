import Foundation
import TenderCore

/// The dispute referee and the players' replay (DESIGN section 7).
///
/// The referee executes exactly one step, whatever the segment's length: the game has already
/// narrowed the disagreement to the step from `lowStep` to `lowStep + 1`. Players use `replay`
/// to compute the hash they answer at a midpoint from the state at the segment's start.
public enum Referee {
    /// Executes the one step from the agreed state and reports the hash it produced, or why the
    /// state cannot be run (it is the provider's state, so an invalid one loses the dispute).
    public static func rule(state: Data, range: Dispute.Bisection, runner: WorkloadRunner) -> Dispute.RefereeOutcome {
        guard Hashing.sha256Hex(state) == range.lowHash else {
            return .invalidState("its SHA-256 is not the agreed hash \(range.lowHash.prefix(12))…")
        }
        // At step 0 there is a truth above the parties' agreement: the job's own initial state.
        if range.lowStep == 0, let initial = try? runner.initialState(), initial.bytes != state {
            return .invalidState("it is not the job's initial state \(initial.hashHex.prefix(12))…")
        }
        do {
            return .stepped(hash: try runner.runStep(from: state, atStep: range.lowStep).hashHex)
        } catch {
            return .invalidState("\(error)")
        }
    }

    /// The state after `step` steps, computed from `state` at `fromStep` (a checkpoint the player
    /// holds). Returns the state itself when `step == fromStep`.
    public static func replay(from state: Data, atStep fromStep: Int, to step: Int, runner: WorkloadRunner) throws(WorkloadError) -> StateSnapshot {
        guard step > fromStep else {
            guard step == fromStep else { throw .stepsOutOfRange(start: fromStep, count: step - fromStep, totalSteps: runner.schedule.totalSteps) }
            return StateSnapshot(step: step, bytes: state, loss: nil)
        }
        return try runner.runSteps(step - fromStep, from: state, atStep: fromStep)
    }
}
