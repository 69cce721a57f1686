import Foundation
import Testing
@testable import TenderCore

/// The dispute game on its own: bisection, the referee's one step, deadlines and refusals.
@Suite("Dispute game")
struct DisputeGameTests {
    typealias F = Fixtures

    static let provider = F.account(1)
    static let challenger = F.account(2)
    static let stranger = F.account(3)
    static let t0 = Timestamp(millis: 1_000_000)
    static let policy = F.policy

    /// The hash of the true state after `step` steps.
    static func trueHash(_ step: Int) -> String { Hashing.sha256Hex("true-\(step)") }
    /// A provider that computed correctly up to step 16 and lied from step 17 on.
    static func liarHash(_ step: Int) -> String { step >= 17 ? Hashing.sha256Hex("lie-\(step)") : trueHash(step) }

    /// A dispute on segment 0 (steps `lowStep`...`highStep`) over the provider's hashes from `hash`.
    static func open(
        lowStep: Int = 0, highStep: Int = 30, provider hash: (Int) -> String = DisputeGameTests.trueHash, claim: String
    ) -> Dispute {
        Dispute.open(
            id: DisputeID(1), lease: 7, provider: Self.provider, challenger: Self.challenger, segment: 0, claim: claim,
            lowStep: lowStep, lowHash: hash(lowStep), highStep: highStep, highHash: hash(highStep),
            bond: F.credits("1"), now: Self.t0, policy: Self.policy
        )
    }

    /// Plays the bisection until one step is left: the provider names its hash at each midpoint,
    /// the challenger compares it with its own. Each move comes one second after the last.
    /// Returns the number of midpoint rounds.
    static func bisect(
        _ dispute: inout Dispute, provider hash: (Int) -> String, challenger belief: (Int) -> String, clock: inout Timestamp
    ) throws -> Int {
        var rounds = 0
        while case .awaitingMidpoint(let range, _) = dispute.phase {
            let step = range.midpoint
            clock = clock.adding(seconds: 1)
            try dispute.apply(.midpoint(step: step, hash: hash(step)), by: Self.provider, stateAvailable: false, now: clock, policy: Self.policy)
            clock = clock.adding(seconds: 1)
            let verdict: DisputeMove = hash(step) == belief(step) ? .agree(step: step) : .disagree(step: step)
            try dispute.apply(verdict, by: Self.challenger, stateAvailable: false, now: clock, policy: Self.policy)
            rounds += 1
            #expect(rounds <= 5, "a 30-step range must not need more than ceil(log2(30)) = 5 rounds")
            if rounds > 5 { break }
        }
        return rounds
    }

    static func isWrongState(_ error: MarketError?) -> Bool {
        if case .wrongState? = error { return true }
        return false
    }

    /// A refusal for the game's state (409) or for a move that cannot be right (422).
    static func isRefusal(_ error: MarketError?, invalid: Bool) -> Bool {
        switch error {
        case .wrongState?: !invalid
        case .invalidMove?: invalid
        default: false
        }
    }

    // MARK: - Playing the game

    @Test("against a liar, bisection ends exactly where the lie starts and the challenger wins")
    func liarLoses() throws {
        var dispute = Self.open(provider: Self.liarHash, claim: Self.trueHash(30))
        var clock = Self.t0
        let rounds = try Self.bisect(&dispute, provider: Self.liarHash, challenger: Self.trueHash, clock: &clock)
        #expect(rounds == 5)
        guard case .awaitingState(let range, let deadline) = dispute.phase else {
            Issue.record("expected awaiting-state, got \(dispute.phase.name)")
            return
        }
        #expect(range.lowStep == 16)
        #expect(range.highStep == 17)
        #expect(range.lowHash == Self.trueHash(16))
        #expect(range.highHash == Self.liarHash(17))
        #expect(deadline == clock.adding(seconds: Self.policy.disputeMoveSeconds))
        #expect(dispute.turn == .provider)

        clock = clock.adding(seconds: 1)
        try dispute.apply(.state(step: 16), by: Self.provider, stateAvailable: true, now: clock, policy: Self.policy)
        #expect(dispute.phase == .awaitingRuling(range))
        #expect(dispute.turn == nil)
        #expect(dispute.moveDeadline == nil)

        try dispute.rule(.stepped(hash: Self.trueHash(17)), now: clock)
        let ruling = try #require(dispute.ruling)
        #expect(ruling.winner == .challenger)
        #expect(ruling.reason == .refereeStep)
        #expect(ruling.step == 16)
        #expect(ruling.refereeHash == Self.trueHash(17))
        #expect(dispute.isResolved)
        // Five midpoints, five verdicts, one state; the parties alternate.
        #expect(dispute.moves.count == 11)
        let alternating: [Dispute.Party] = Array(repeating: [Dispute.Party.provider, Dispute.Party.challenger], count: 5).flatMap { $0 } + [.provider]
        #expect(dispute.moves.map(\.by) == alternating)
        #expect(dispute.moves.map(\.move.kind).filter { $0 == "midpoint" }.count == 5)
    }

    @Test(
        "an honest provider wins against a challenger whose claims go wrong at any step",
        arguments: [1, 9, 17, 29, 30]
    )
    func honestProviderWins(divergence: Int) throws {
        // The challenger believes the truth up to `divergence - 1` and something else from there.
        let belief: (Int) -> String = { $0 >= divergence ? Hashing.sha256Hex("wrong-\($0)") : Self.trueHash($0) }
        var dispute = Self.open(provider: Self.trueHash, claim: belief(30))
        #expect(dispute.claim != Self.trueHash(30))
        var clock = Self.t0
        let rounds = try Self.bisect(&dispute, provider: Self.trueHash, challenger: belief, clock: &clock)
        #expect((4...5).contains(rounds))
        let range = try #require(dispute.range)
        #expect(range.lowStep == divergence - 1)
        #expect(range.highStep == divergence)
        #expect(range.highHash == Self.trueHash(divergence))

        try dispute.apply(.state(step: divergence - 1), by: Self.provider, stateAvailable: true, now: clock.adding(seconds: 1), policy: Self.policy)
        try dispute.rule(.stepped(hash: Self.trueHash(divergence)), now: clock.adding(seconds: 2))
        let ruling = try #require(dispute.ruling)
        #expect(ruling.winner == .provider)
        #expect(ruling.reason == .refereeStep)
        #expect(ruling.step == divergence - 1)
    }

    @Test("a single-step segment opens waiting for the provider's state")
    func singleStepOpensAwaitingState() throws {
        let dispute = Self.open(lowStep: 4, highStep: 5, claim: Hashing.sha256Hex("claim"))
        let range = Dispute.Bisection(lowStep: 4, lowHash: Self.trueHash(4), highStep: 5, highHash: Self.trueHash(5))
        #expect(dispute.phase == .awaitingState(range, deadline: Self.t0.adding(seconds: Self.policy.disputeMoveSeconds)))
        #expect(dispute.turn == .provider)
        #expect(dispute.moves.isEmpty)
        // A longer one waits for a midpoint.
        let longer = Self.open(lowStep: 4, highStep: 6, claim: Hashing.sha256Hex("claim"))
        guard case .awaitingMidpoint(let bisection, _) = longer.phase else {
            Issue.record("expected awaiting-midpoint, got \(longer.phase.name)")
            return
        }
        #expect(bisection.midpoint == 5)
    }

    @Test("an invalid state at the agreed step gives the challenger the win")
    func invalidStateLoses() throws {
        var dispute = Self.open(lowStep: 4, highStep: 5, claim: Hashing.sha256Hex("claim"))
        try dispute.apply(.state(step: 4), by: Self.provider, stateAvailable: true, now: Self.t0.adding(seconds: 1), policy: Self.policy)
        try dispute.rule(.invalidState("x"), now: Self.t0.adding(seconds: 2))
        let ruling = try #require(dispute.ruling)
        #expect(ruling.winner == .challenger)
        #expect(ruling.reason == .invalidState)
        #expect(ruling.refereeHash == nil)
    }

    // MARK: - Refusals

    @Test("a move by someone who is neither party is refused as not theirs")
    func strangerIsRefused() {
        var dispute = Self.open(claim: Hashing.sha256Hex("claim"))
        let before = dispute
        let error = #expect(throws: MarketError.self) {
            try dispute.apply(.midpoint(step: 15, hash: Self.trueHash(15)), by: Self.stranger, stateAvailable: true,
                              now: Self.t0.adding(seconds: 1), policy: Self.policy)
        }
        if case .notYours? = error {} else { Issue.record("expected notYours, got \(String(describing: error))") }
        #expect(dispute == before)
    }

    @Test("moves out of turn, for the wrong step, of the wrong kind or after the deadline are refused")
    func badMovesAreRefused() throws {
        var dispute = Self.open(claim: Hashing.sha256Hex("claim"))
        let t1 = Self.t0.adding(seconds: 1)
        // Out of turn or too late is the game's state (409); a wrong step, kind or hash can never be right (422).
        let refused: [(AccountID, DisputeMove, Timestamp, invalid: Bool)] = [
            (Self.challenger, .agree(step: 15), t1, false),                            // the provider's turn
            (Self.provider, .midpoint(step: 14, hash: Self.trueHash(14)), t1, true),   // the midpoint is 15
            (Self.provider, .state(step: 0), t1, true),                                // a midpoint is due
            (Self.provider, .midpoint(step: 15, hash: "ABC"), t1, true),               // not a SHA-256
            (Self.provider, .midpoint(step: 15, hash: Self.trueHash(15)),              // at the deadline
             Self.t0.adding(seconds: Self.policy.disputeMoveSeconds), false),
        ]
        let before = dispute
        for (actor, move, now, invalid) in refused {
            let error = #expect(throws: MarketError.self) {
                try dispute.apply(move, by: actor, stateAvailable: true, now: now, policy: Self.policy)
            }
            #expect(Self.isRefusal(error, invalid: invalid), "\(move) by \(actor.short): \(String(describing: error))")
        }
        #expect(dispute == before)

        // Now the challenger's turn: the provider may not move, and a midpoint is the wrong kind.
        try dispute.apply(.midpoint(step: 15, hash: Self.trueHash(15)), by: Self.provider, stateAvailable: false, now: t1, policy: Self.policy)
        let t2 = t1.adding(seconds: 1)
        let outOfPlace: [(AccountID, DisputeMove, invalid: Bool)] = [
            (Self.provider, .agree(step: 15), false),                                  // the challenger's turn
            (Self.challenger, .midpoint(step: 15, hash: Self.trueHash(15)), true),     // a verdict is due
            (Self.challenger, .disagree(step: 7), true),                               // the midpoint is 15
        ]
        for (actor, move, invalid) in outOfPlace {
            let error = #expect(throws: MarketError.self) {
                try dispute.apply(move, by: actor, stateAvailable: true, now: t2, policy: Self.policy)
            }
            #expect(Self.isRefusal(error, invalid: invalid), "\(move) by \(actor.short): \(String(describing: error))")
        }
        #expect(dispute.moves.count == 1)
    }

    @Test("a state move is refused until the state is in the artifact store")
    func stateMustBeAvailable() throws {
        var dispute = Self.open(lowStep: 4, highStep: 5, claim: Hashing.sha256Hex("claim"))
        let before = dispute
        let error = #expect(throws: MarketError.self) {
            try dispute.apply(.state(step: 4), by: Self.provider, stateAvailable: false, now: Self.t0.adding(seconds: 1), policy: Self.policy)
        }
        #expect(Self.isWrongState(error))
        #expect(dispute == before)
        // Naming the wrong step is refused even with the state there.
        #expect(throws: MarketError.self) {
            try dispute.apply(.state(step: 5), by: Self.provider, stateAvailable: true, now: Self.t0.adding(seconds: 1), policy: Self.policy)
        }
        try dispute.apply(.state(step: 4), by: Self.provider, stateAvailable: true, now: Self.t0.adding(seconds: 1), policy: Self.policy)
        #expect(dispute.turn == nil)
    }

    @Test("no one moves once the referee rules next or the game is over, and the referee rules only once")
    func noMovesAfterTheGame() throws {
        var dispute = Self.open(lowStep: 4, highStep: 5, claim: Hashing.sha256Hex("claim"))
        let t1 = Self.t0.adding(seconds: 1)
        // The referee cannot rule before the state is in.
        #expect(throws: MarketError.self) { try dispute.rule(.stepped(hash: Self.trueHash(5)), now: t1) }
        try dispute.apply(.state(step: 4), by: Self.provider, stateAvailable: true, now: t1, policy: Self.policy)
        #expect(throws: MarketError.self) {
            try dispute.apply(.state(step: 4), by: Self.provider, stateAvailable: true, now: t1, policy: Self.policy)
        }
        try dispute.rule(.stepped(hash: Self.trueHash(5)), now: t1)
        #expect(dispute.ruling?.winner == .provider)
        let resolved = dispute
        #expect(throws: MarketError.self) { try dispute.rule(.stepped(hash: Hashing.sha256Hex("other")), now: t1) }
        #expect(throws: MarketError.self) {
            try dispute.apply(.agree(step: 4), by: Self.challenger, stateAvailable: true, now: t1, policy: Self.policy)
        }
        #expect(dispute == resolved)
    }

    // MARK: - Deadlines

    @Test("expiry before the deadline does nothing")
    func expireEarlyDoesNothing() {
        var dispute = Self.open(claim: Hashing.sha256Hex("claim"))
        let before = dispute
        let expired = dispute.expire(now: Self.t0.adding(seconds: Self.policy.disputeMoveSeconds - 1))
        #expect(!expired)
        #expect(dispute == before)
    }

    @Test("a provider that misses a midpoint loses")
    func providerMissesMidpoint() throws {
        var dispute = Self.open(claim: Hashing.sha256Hex("claim"))
        let deadline = try #require(dispute.moveDeadline)
        #expect(deadline == Self.t0.adding(seconds: Self.policy.disputeMoveSeconds))
        let expired = dispute.expire(now: deadline)
        #expect(expired)
        let ruling = try #require(dispute.ruling)
        #expect(ruling.winner == .challenger)
        #expect(ruling.reason == .missedDeadline)
        #expect(ruling.at == deadline)
        // A resolved game does not expire again.
        let again = dispute.expire(now: deadline.adding(seconds: 1_000))
        #expect(!again)
        #expect(dispute.ruling == ruling)
    }

    @Test("a challenger that misses a verdict loses")
    func challengerMissesVerdict() throws {
        var dispute = Self.open(claim: Hashing.sha256Hex("claim"))
        let t1 = Self.t0.adding(seconds: 10)
        try dispute.apply(.midpoint(step: 15, hash: Self.trueHash(15)), by: Self.provider, stateAvailable: false, now: t1, policy: Self.policy)
        #expect(dispute.moveDeadline == t1.adding(seconds: Self.policy.disputeMoveSeconds))
        // The provider's original deadline has passed, but the move reset the clock.
        let early = dispute.expire(now: Self.t0.adding(seconds: Self.policy.disputeMoveSeconds))
        #expect(!early)
        #expect(!dispute.isResolved)
        let late = dispute.expire(now: t1.adding(seconds: Self.policy.disputeMoveSeconds + 5))
        #expect(late)
        #expect(dispute.ruling?.winner == .provider)
        #expect(dispute.ruling?.reason == .missedDeadline)
    }

    @Test("a provider that never uploads the agreed state loses; waiting for the referee never expires")
    func stateDeadline() throws {
        var missed = Self.open(lowStep: 4, highStep: 5, claim: Hashing.sha256Hex("claim"))
        let expired = missed.expire(now: Self.t0.adding(seconds: Self.policy.disputeMoveSeconds))
        #expect(expired)
        #expect(missed.ruling?.winner == .challenger)

        var delivered = Self.open(lowStep: 4, highStep: 5, claim: Hashing.sha256Hex("claim"))
        try delivered.apply(.state(step: 4), by: Self.provider, stateAvailable: true, now: Self.t0.adding(seconds: 1), policy: Self.policy)
        let expiredWhileRuling = delivered.expire(now: Self.t0.adding(seconds: 100_000))
        #expect(!expiredWhileRuling)
        #expect(!delivered.isResolved)
    }
}
