/// An interactive dispute over one segment of a committed lease (DESIGN section 7).
///
/// The challenger says the provider's leaf `segment + 1` is wrong. Both agree on the state at the
/// start of the segment (the provider committed it and the challenger took it from the store), so
/// the game only has to find the first step where they part: the provider names the hash at the
/// midpoint of the disputed range, the challenger agrees or disagrees, and the range halves until
/// one step is left. The provider then uploads the agreed state and the controller executes that
/// one step and rules. Each phase carries exactly the data that exists in it.
public struct Dispute: Sendable, Equatable, Codable {
    public var id: DisputeID
    public var lease: LeaseID
    public var provider: AccountID
    public var challenger: AccountID
    /// The disputed segment: from leaf `segment` to leaf `segment + 1`.
    public var segment: Int
    public var bond: Amount
    /// The challenger's hash for leaf `segment + 1`, which differs from the provider's.
    public var claim: String
    public var openedAt: Timestamp
    public var phase: Phase
    /// Every accepted move, in order.
    public var moves: [MoveRecord]

    public enum Party: String, Sendable, Equatable, Codable {
        case provider, challenger
    }

    /// Where the game stands.
    public enum Phase: Sendable, Equatable {
        /// The provider must name the state hash at `range.midpoint`.
        case awaitingMidpoint(Bisection, deadline: Timestamp)
        /// The challenger must agree or disagree with the provider's hash at `range.midpoint`.
        case awaitingVerdict(Bisection, midpointHash: String, deadline: Timestamp)
        /// One step is left: the provider must upload the state at `range.lowStep`.
        case awaitingState(Bisection, deadline: Timestamp)
        /// The state is in the store: the controller executes one step and rules.
        case awaitingRuling(Bisection)
        case resolved(Ruling)
    }

    /// The disputed range: both parties agree on the state after `lowStep` steps (hash `lowHash`);
    /// the provider claims `highHash` after `highStep` steps, and the challenger disagrees.
    public struct Bisection: Sendable, Equatable, Codable {
        public var lowStep: Int
        public var lowHash: String
        public var highStep: Int
        public var highHash: String

        /// Public so verifiers outside the market (the referee's bench, tests) can state a range.
        public init(lowStep: Int, lowHash: String, highStep: Int, highHash: String) {
            self.lowStep = lowStep
            self.lowHash = lowHash
            self.highStep = highStep
            self.highHash = highHash
        }

        public var midpoint: Int { lowStep + (highStep - lowStep) / 2 }
        public var isSingleStep: Bool { highStep - lowStep == 1 }
    }

    /// How a dispute ended. `winner` is nil when it was voided because the lease was already
    /// proven fraudulent elsewhere; the bond then goes back to the challenger.
    public struct Ruling: Sendable, Equatable, Codable {
        public enum Reason: String, Sendable, Equatable, Codable {
            /// The referee executed the one step and compared.
            case refereeStep = "referee-step"
            /// A party missed its move's deadline.
            case missedDeadline = "missed-deadline"
            /// The provider's state at the agreed step does not fit the job.
            case invalidState = "invalid-state"
            /// Fraud on the lease was proven by the audit or another dispute first.
            case fraudProvenElsewhere = "fraud-proven-elsewhere"
            /// This controller cannot execute the job's step (an `exec` program it does not run):
            /// nobody wins, and the bond goes back.
            case refereeUnavailable = "referee-unavailable"
        }

        public var winner: Party?
        public var reason: Reason
        public var detail: String
        public var at: Timestamp
        /// The step the referee executed, when it executed one.
        public var step: Int?
        /// The hash the referee's one step produced.
        public var refereeHash: String?
    }

    /// A move as recorded in the history.
    public struct MoveRecord: Sendable, Equatable, Codable {
        public var by: Party
        public var move: DisputeMove
        public var at: Timestamp
    }

    public var isResolved: Bool {
        if case .resolved = phase { return true }
        return false
    }

    public var ruling: Ruling? {
        if case .resolved(let ruling) = phase { return ruling }
        return nil
    }

    /// The deadline of the move the game waits for; nil when the controller rules next or it is over.
    public var moveDeadline: Timestamp? {
        switch phase {
        case .awaitingMidpoint(_, let deadline), .awaitingVerdict(_, _, let deadline), .awaitingState(_, let deadline): deadline
        case .awaitingRuling, .resolved: nil
        }
    }

    /// Whose turn it is; nil when the controller rules next or it is over.
    public var turn: Party? {
        switch phase {
        case .awaitingMidpoint, .awaitingState: .provider
        case .awaitingVerdict: .challenger
        case .awaitingRuling, .resolved: nil
        }
    }

    /// The current range, while the game is on.
    public var range: Bisection? { phase.range }
}

extension Dispute.Phase {
    /// The range in play; nil once resolved.
    public var range: Dispute.Bisection? {
        switch self {
        case .awaitingMidpoint(let range, _), .awaitingVerdict(let range, _, _), .awaitingState(let range, _), .awaitingRuling(let range):
            range
        case .resolved: nil
        }
    }
}

/// A move in a dispute, as posted to `POST /v1/disputes/{id}/moves`. `step` names the step the
/// move is about, so a late or confused move cannot be taken for the current one.
public enum DisputeMove: Sendable, Equatable {
    /// Provider: the hash of its state after `step` steps.
    case midpoint(step: Int, hash: String)
    /// Challenger: the provider's hash after `step` steps is right.
    case agree(step: Int)
    /// Challenger: the provider's hash after `step` steps is wrong.
    case disagree(step: Int)
    /// Provider: the state after `step` steps is in the artifact store (named by its hash).
    case state(step: Int)

    public var step: Int {
        switch self {
        case .midpoint(let step, _), .agree(let step), .disagree(let step), .state(let step): step
        }
    }

    public var kind: String {
        switch self {
        case .midpoint: "midpoint"
        case .agree: "agree"
        case .disagree: "disagree"
        case .state: "state"
        }
    }
}
