import Foundation
import TenderCore

/// One side of a dispute game, played honestly from a state the player holds.
///
/// Both parties agree on the state at the start of the disputed segment, so a player needs only
/// that state (its own checkpoint, or the one the provider served) to answer any move: it replays
/// from there to the step in question. The provider agent and `tender challenge` both play with
/// this type, so an honest provider and an honest challenger compute from the same code as the
/// referee.
public struct DisputePlayer: Sendable {
    public let runner: WorkloadRunner
    public let side: Dispute.Party
    /// The agreed state at the start of the disputed segment and its step.
    public let start: StateSnapshot

    /// What to do next in the game.
    public enum Answer: Sendable, Equatable {
        /// Post this move.
        case move(DisputeMove)
        /// Upload this state to the artifact store, then post `.state(step:)`.
        case uploadState(Data, then: DisputeMove)
        /// Nothing to do: it is the other side's turn, the referee rules next, or it is over.
        case wait
    }

    public init(runner: WorkloadRunner, side: Dispute.Party, startState: Data, startStep: Int) {
        self.runner = runner
        self.side = side
        self.start = StateSnapshot(step: startStep, bytes: startState, loss: nil)
    }

    /// The honest answer to the dispute's current phase, for this player's side.
    public func answer(_ phase: Dispute.Phase) throws(WorkloadError) -> Answer {
        switch (side, phase) {
        case (.provider, .awaitingMidpoint(let range, _)):
            return .move(.midpoint(step: range.midpoint, hash: try state(at: range.midpoint).hashHex))
        case (.challenger, .awaitingVerdict(let range, let midpointHash, _)):
            let mine = try state(at: range.midpoint).hashHex
            return .move(mine == midpointHash ? .agree(step: range.midpoint) : .disagree(step: range.midpoint))
        case (.provider, .awaitingState(let range, _)):
            return .uploadState(try state(at: range.lowStep).bytes, then: .state(step: range.lowStep))
        default:
            return .wait
        }
    }

    /// The state after `step` steps, replayed from the segment's start.
    public func state(at step: Int) throws(WorkloadError) -> StateSnapshot {
        try Referee.replay(from: start.bytes, atStep: start.step, to: step, runner: runner)
    }
}
