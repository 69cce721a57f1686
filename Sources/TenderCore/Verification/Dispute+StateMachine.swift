/// The dispute game's rules. Every event takes `now` and returns nothing but the new phase; the
/// marketplace turns a resolution into money (slash, bond return or forfeit) and deadlines.
extension Dispute {
    /// What the referee's one step gave.
    public enum RefereeOutcome: Sendable, Equatable {
        /// The step ran; this is the hash of the state it produced.
        case stepped(hash: String)
        /// The provider's state at the agreed step does not decode or records another step.
        case invalidState(String)
    }

    /// A new dispute on segment `segment`, whose leaves `segment` and `segment + 1` the provider
    /// committed as `lowHash` and `highHash` (checked against the root by the caller).
    static func open(
        id: DisputeID, lease: LeaseID, provider: AccountID, challenger: AccountID, segment: Int, claim: String,
        lowStep: Int, lowHash: String, highStep: Int, highHash: String, bond: Amount, now: Timestamp, policy: MarketPolicy
    ) -> Dispute {
        let range = Bisection(lowStep: lowStep, lowHash: lowHash, highStep: highStep, highHash: highHash)
        let deadline = now.adding(seconds: policy.disputeMoveSeconds)
        return Dispute(
            id: id, lease: lease, provider: provider, challenger: challenger, segment: segment, bond: bond, claim: claim,
            openedAt: now,
            phase: range.isSingleStep ? .awaitingState(range, deadline: deadline) : .awaitingMidpoint(range, deadline: deadline),
            moves: []
        )
    }

    /// Applies a party's move. `stateAvailable` says whether the artifact store holds the state the
    /// game's range starts from (only a `state` move needs it).
    public mutating func apply(
        _ move: DisputeMove, by actor: AccountID, stateAvailable: Bool, now: Timestamp, policy: MarketPolicy
    ) throws(MarketError) {
        let party: Party
        if actor == provider { party = .provider } else if actor == challenger { party = .challenger } else {
            throw .notYours("dispute \(id) is between provider \(provider.short) and challenger \(challenger.short)")
        }
        guard let turn else {
            throw .wrongState(isResolved ? "dispute \(id) is resolved" : "dispute \(id) waits for the referee's ruling")
        }
        guard turn == party else { throw .wrongState("it is the \(turn.rawValue)'s turn in dispute \(id)") }
        if let deadline = moveDeadline, now >= deadline {
            throw .wrongState("the \(turn.rawValue)'s move in dispute \(id) was due by \(deadline)")
        }
        let next = now.adding(seconds: policy.disputeMoveSeconds)
        switch (phase, move) {
        case (.awaitingMidpoint(let range, _), .midpoint(let step, let hash)):
            try expect(step, range.midpoint, move)
            guard Hashing.isSHA256Hex(hash) else { throw .invalidMove("a midpoint hash must be 64 lowercase hex digits") }
            phase = .awaitingVerdict(range, midpointHash: hash, deadline: next)
        case (.awaitingVerdict(var range, let midpointHash, _), .agree(let step)):
            try expect(step, range.midpoint, move)
            range.lowStep = step
            range.lowHash = midpointHash
            phase = range.isSingleStep ? .awaitingState(range, deadline: next) : .awaitingMidpoint(range, deadline: next)
        case (.awaitingVerdict(var range, let midpointHash, _), .disagree(let step)):
            try expect(step, range.midpoint, move)
            range.highStep = step
            range.highHash = midpointHash
            phase = range.isSingleStep ? .awaitingState(range, deadline: next) : .awaitingMidpoint(range, deadline: next)
        case (.awaitingState(let range, _), .state(let step)):
            try expect(step, range.lowStep, move)
            guard stateAvailable else {
                throw .wrongState("upload the state after \(step) steps (sha256 \(range.lowHash)) to the artifact store first")
            }
            phase = .awaitingRuling(range)
        default:
            throw .invalidMove("dispute \(id) is \(phase.name); a move of kind \(move.kind) does not fit")
        }
        moves.append(MoveRecord(by: party, move: move, at: now))
    }

    /// Ends the game against the party that let its move's deadline pass. False when nothing was due.
    public mutating func expire(now: Timestamp) -> Bool {
        guard let deadline = moveDeadline, now >= deadline, let turn else { return false }
        let winner: Party = turn == .provider ? .challenger : .provider
        phase = .resolved(Ruling(
            winner: winner, reason: .missedDeadline, detail: "the \(turn.rawValue) missed its move's deadline at \(deadline)",
            at: now, step: nil, refereeHash: nil
        ))
        return true
    }

    /// The referee's ruling on the one remaining step.
    public mutating func rule(_ outcome: RefereeOutcome, now: Timestamp) throws(MarketError) {
        guard case .awaitingRuling(let range) = phase else { throw .wrongState("dispute \(id) is \(phase.name), not awaiting a ruling") }
        switch outcome {
        case .stepped(let hash) where hash == range.highHash:
            phase = .resolved(Ruling(
                winner: .provider, reason: .refereeStep,
                detail: "one step from the agreed state after \(range.lowStep) steps gives the provider's hash",
                at: now, step: range.lowStep, refereeHash: hash
            ))
        case .stepped(let hash):
            phase = .resolved(Ruling(
                winner: .challenger, reason: .refereeStep,
                detail: "one step from the agreed state after \(range.lowStep) steps gives \(hash.prefix(12))…, not the provider's \(range.highHash.prefix(12))…",
                at: now, step: range.lowStep, refereeHash: hash
            ))
        case .invalidState(let why):
            phase = .resolved(Ruling(
                winner: .challenger, reason: .invalidState, detail: "the provider's state after \(range.lowStep) steps is invalid: \(why)",
                at: now, step: range.lowStep, refereeHash: nil
            ))
        }
    }

    /// Moves the pending move's deadline to `deadline` (a restarted controller's allowance).
    mutating func extendMoveDeadline(to deadline: Timestamp) {
        switch phase {
        case .awaitingMidpoint(let range, _): phase = .awaitingMidpoint(range, deadline: deadline)
        case .awaitingVerdict(let range, let hash, _): phase = .awaitingVerdict(range, midpointHash: hash, deadline: deadline)
        case .awaitingState(let range, _): phase = .awaitingState(range, deadline: deadline)
        case .awaitingRuling, .resolved: break
        }
    }

    /// Ends an open game with no winner: the lease was proven fraudulent elsewhere first, or the
    /// referee cannot execute this job's step.
    mutating func void(now: Timestamp, because detail: String, reason: Ruling.Reason = .fraudProvenElsewhere) {
        guard !isResolved else { return }
        phase = .resolved(Ruling(winner: nil, reason: reason, detail: detail, at: now, step: nil, refereeHash: nil))
    }

    private func expect(_ step: Int, _ expected: Int, _ move: DisputeMove) throws(MarketError) {
        guard step == expected else {
            throw .invalidMove("dispute \(id) expects the move of kind \(move.kind) for step \(expected), not step \(step)")
        }
    }
}
