import Foundation
import Testing
@testable import TenderCore

/// Disputes through the marketplace: who may open one, the bond, and what each ending does to the
/// lease and the money (DESIGN sections 7 and 8). The leases commit 20 steps with a leaf every 2,
/// so a dispute on segment 3 bisects steps 6...8 with one midpoint, step 7.
@Suite("Lease disputes")
struct LeaseDisputeTests {
    typealias F = Fixtures
    typealias W = LeaseWorld

    static let providerMidpoint = Hashing.sha256Hex("the provider's state after 7 steps")

    @Test("a dispute is refused from thin stake, from the provider, for a claim equal to the leaf, without the bond, or too late")
    func openingRefusals() throws {
        var world = try W()
        let beforeCommit = #expect(throws: MarketplaceError.self) { try world.dispute(at: W.closeAt.adding(seconds: 1)) }
        #expect(beforeCommit?.isWrongState == true)

        try world.commitAndReveal()
        let now = W.revealAt.adding(seconds: 1)
        let thin = F.account(4), illiquid = F.account(5)
        _ = try world.market.mint(F.credits("10"), to: thin, now: now)
        _ = try world.market.stake(F.credits("0.5"), account: thin, now: now)
        _ = try world.market.mint(F.credits("2"), to: illiquid, now: now)
        _ = try world.market.stake(F.credits("2"), account: illiquid, now: now)
        #expect(world.balances(thin).staked < F.policy.challengerMinimumStake)
        let ledger = world.market.ledger
        let leases = world.market.leases

        let thinError = #expect(throws: MarketplaceError.self) { try world.dispute(by: thin, at: now) }
        #expect(thinError?.isWrongState == true, "\(String(describing: thinError))")

        let ownError = #expect(throws: MarketplaceError.self) { try world.dispute(by: world.provider, at: now) }
        #expect(ownError?.isNotYours == true, "\(String(describing: ownError))")

        let sameError = #expect(throws: MarketplaceError.self) {
            try world.market.openDispute(lease: world.leaseID, segment: 3, claim: world.leaf(4), trace: world.trace, by: W.challenger, now: now)
        }
        #expect(sameError?.isInvalid == true, "\(String(describing: sameError))")

        let bondError = #expect(throws: MarketplaceError.self) { try world.dispute(by: illiquid, at: now) }
        if case .ledger(.insufficientFunds(let account, let bucket, _, _))? = bondError {
            #expect(account == illiquid)
            #expect(bucket == .available)
        } else {
            Issue.record("expected the ledger to refuse the bond, got \(String(describing: bondError))")
        }

        let malformed: [(segment: Int, claim: String, trace: Data)] = [
            (10, Hashing.sha256Hex("claim"), world.trace),                                 // no segment 10
            (-1, Hashing.sha256Hex("claim"), world.trace),
            (3, "not a hash", world.trace),
            (3, Hashing.sha256Hex("claim"), Commitment.trace(of: Array(world.hashes.reversed()))),  // not the lease's trace
        ]
        for (segment, claim, trace) in malformed {
            let error = #expect(throws: MarketplaceError.self) {
                try world.market.openDispute(lease: world.leaseID, segment: segment, claim: claim, trace: trace, by: W.challenger, now: now)
            }
            #expect(error?.isInvalid == true, "segment \(segment): \(String(describing: error))")
        }
        #expect(throws: MarketplaceError.notFound("lease 99")) {
            try world.market.openDispute(lease: 99, segment: 3, claim: Hashing.sha256Hex("claim"), trace: world.trace, by: W.challenger, now: now)
        }
        let lateError = #expect(throws: MarketplaceError.self) { try world.dispute(at: W.windowEnds) }
        #expect(lateError?.isWrongState == true, "\(String(describing: lateError))")

        #expect(world.market.disputes.isEmpty)
        #expect(world.market.counters.nextDispute == 1)
        #expect(world.market.leases == leases)
        #expect(world.market.ledger == ledger)
        #expect(world.market.ledger.invariantHolds)
    }

    @Test("a won dispute slashes with 40% to the challenger and returns its bond; another open dispute is voided with its bond back")
    func challengerWins() throws {
        var world = try W()
        try world.commitAndReveal()
        let t1 = W.revealAt.adding(seconds: 10)
        let first = try world.dispute(segment: 3, at: t1)
        #expect(first.id == DisputeID(1))
        #expect(first.bond == F.credits("1"))  // 20% of the collateral
        let opening = Dispute.Bisection(lowStep: 6, lowHash: world.leaf(3), highStep: 8, highHash: world.leaf(4))
        #expect(first.phase == .awaitingMidpoint(opening, deadline: t1.adding(seconds: F.policy.disputeMoveSeconds)))
        var lease = try world.lease()
        #expect(lease.state == .disputed)
        #expect(lease.openDisputes == [first.id])
        #expect(lease.timeline.last?.kind == .disputeOpened)
        #expect(world.balances(W.challenger).bonded == F.credits("1"))
        #expect(world.balances(W.challenger).available == F.credits("29"))

        // The same challenger may not open the same segment twice.
        let duplicate = #expect(throws: MarketplaceError.self) { try world.dispute(segment: 3, at: t1) }
        #expect(duplicate?.isWrongState == true)

        let second = try world.dispute(segment: 5, by: W.secondChallenger, at: t1.adding(seconds: 1))
        #expect(try world.lease().openDisputes == [first.id, second.id])

        _ = try world.market.moveDispute(first.id, .midpoint(step: 7, hash: Self.providerMidpoint), by: world.provider,
                                         stateAvailable: false, now: t1.adding(seconds: 2))
        let stranger = #expect(throws: MarketplaceError.self) {
            try world.market.moveDispute(first.id, .disagree(step: 7), by: W.secondChallenger, stateAvailable: false, now: t1.adding(seconds: 3))
        }
        #expect(stranger?.isNotYours == true)
        let moved = try world.market.moveDispute(first.id, .disagree(step: 7), by: W.challenger, stateAvailable: false, now: t1.adding(seconds: 3))
        #expect(moved.deadlines == [Deadline(kind: .disputeCheck, subject: first.id.rawValue, at: t1.adding(seconds: 3 + F.policy.disputeMoveSeconds))])
        _ = try world.market.moveDispute(first.id, .state(step: 6), by: world.provider, stateAvailable: true, now: t1.adding(seconds: 4))
        let waiting = try world.dispute(first.id)
        #expect(waiting.phase == .awaitingRuling(Dispute.Bisection(lowStep: 6, lowHash: world.leaf(3), highStep: 7, highHash: Self.providerMidpoint)))

        let ruled = try world.market.ruleDispute(first.id, .stepped(hash: Hashing.sha256Hex("the true state after 7 steps")), now: t1.adding(seconds: 5))
        #expect(ruled.disputes == [first.id, second.id])
        #expect(try world.dispute(first.id).ruling?.winner == .challenger)
        let voided = try #require(try world.dispute(second.id).ruling)
        #expect(voided.winner == nil)
        #expect(voided.reason == .fraudProvenElsewhere)

        lease = try world.lease()
        #expect(lease.state == .slashed)
        #expect(lease.openDisputes.isEmpty)
        #expect(lease.timeline.last?.kind == .slashed)
        // The winner: its bond back and 40% of the collateral of 5.
        #expect(world.balances(W.challenger).available == F.credits("32"))
        #expect(world.balances(W.challenger).bonded == .zero)
        // The voided challenger: its bond back, nothing more.
        #expect(world.balances(W.secondChallenger).available == F.credits("30"))
        #expect(world.balances(W.secondChallenger).bonded == .zero)
        #expect(world.balances(F.policy.auditPool).available == .zero)
        #expect(world.balances(F.submitter).available == F.credits("100.5"))  // escrow back and 10%
        #expect(world.balances(F.submitter).escrowed == .zero)
        #expect(world.market.ledger.burned == F.credits("2.5"))
        #expect(world.balances(world.provider).lockedCollateral == .zero)
        #expect(world.balances(world.provider).staked == F.credits("15"))
        #expect(world.market.account(world.provider).jailedUntil == t1.adding(seconds: 5 + F.policy.jailSeconds))
        // No more moves in either dispute.
        #expect(throws: MarketplaceError.self) {
            try world.market.moveDispute(second.id, .midpoint(step: 11, hash: Self.providerMidpoint), by: world.provider,
                                         stateAvailable: false, now: t1.adding(seconds: 6))
        }
        #expect(world.market.ledger.invariantHolds)
    }

    @Test("a lost dispute forfeits the bond, half to the provider and half burned, and the lease settles after its window")
    func providerWins() throws {
        var world = try W()
        try world.commitAndReveal()
        try world.passAudit(at: W.revealAt.adding(seconds: 5))
        let t1 = W.revealAt.adding(seconds: 10)
        let dispute = try world.dispute(segment: 3, at: t1)
        _ = try world.market.moveDispute(dispute.id, .midpoint(step: 7, hash: Self.providerMidpoint), by: world.provider,
                                         stateAvailable: false, now: t1.adding(seconds: 1))
        _ = try world.market.moveDispute(dispute.id, .agree(step: 7), by: W.challenger, stateAvailable: false, now: t1.adding(seconds: 2))
        _ = try world.market.moveDispute(dispute.id, .state(step: 7), by: world.provider, stateAvailable: true, now: t1.adding(seconds: 3))
        // One step from the agreed state gives the provider's leaf 4.
        _ = try world.market.ruleDispute(dispute.id, .stepped(hash: world.leaf(4)), now: t1.adding(seconds: 4))

        let ruling = try #require(try world.dispute(dispute.id).ruling)
        #expect(ruling.winner == .provider)
        #expect(ruling.step == 7)
        #expect(world.balances(W.challenger).bonded == .zero)
        #expect(world.balances(W.challenger).available == F.credits("29"))
        #expect(world.balances(world.provider).available == F.credits("30.5"))
        #expect(world.market.ledger.burned == F.credits("0.5"))
        var lease = try world.lease()
        #expect(lease.state == .auditing)  // back to waiting for the window
        #expect(lease.openDisputes.isEmpty)
        #expect(lease.timeline.last?.kind == .disputeClosed)
        #expect(world.balances(F.submitter).escrowed == F.credits("3"))

        _ = try world.market.checkLease(world.leaseID, now: W.windowEnds)
        lease = try world.lease()
        #expect(lease.state == .settled)
        #expect(world.balances(world.provider).available == F.credits("33.47"))  // 30.5 + 3 - 1% fee
        #expect(world.balances(world.provider).lockedCollateral == .zero)
        #expect(world.market.ledger.burned == F.credits("0.515"))
        #expect(world.market.ledger.invariantHolds)
    }

    @Test("nothing settles while a dispute is open, even past the window; a challenger that misses its verdict loses")
    func openDisputeHoldsSettlement() throws {
        var world = try W()
        try world.commitAndReveal()
        try world.passAudit(at: W.revealAt.adding(seconds: 5))
        let t1 = W.revealAt.adding(seconds: 10)
        let dispute = try world.dispute(at: t1)
        let moved = t1.adding(seconds: 1)
        _ = try world.market.moveDispute(dispute.id, .midpoint(step: 7, hash: Self.providerMidpoint), by: world.provider,
                                         stateAvailable: false, now: moved)
        // Before the challenger's deadline, expiry changes nothing.
        _ = try world.market.expireDispute(dispute.id, now: moved.adding(seconds: F.policy.disputeMoveSeconds - 1))
        #expect(try world.dispute(dispute.id).isResolved == false)

        let late = W.windowEnds.adding(seconds: 100)
        _ = try world.market.checkLease(world.leaseID, now: late)
        #expect(try world.lease().state == .disputed)
        #expect(world.balances(world.provider).available == F.credits("30"))
        #expect(world.balances(world.provider).lockedCollateral == F.credits("5"))
        #expect(world.balances(F.submitter).escrowed == F.credits("3"))

        // The challenger never answered: it loses, and with the audit passed and the window over
        // the lease settles at once.
        _ = try world.market.expireDispute(dispute.id, now: late)
        let ruling = try #require(try world.dispute(dispute.id).ruling)
        #expect(ruling.winner == .provider)
        #expect(ruling.reason == .missedDeadline)
        #expect(try world.lease().state == .settled)
        #expect(world.balances(world.provider).available == F.credits("33.47"))
        #expect(world.balances(W.challenger).available == F.credits("29"))
        #expect(world.balances(W.challenger).bonded == .zero)
        #expect(world.market.ledger.invariantHolds)
    }

    @Test("a provider that misses its midpoint loses the dispute and is slashed")
    func providerMissesItsMove() throws {
        var world = try W()
        try world.commitAndReveal()
        let t1 = W.revealAt.adding(seconds: 10)
        let dispute = try world.dispute(at: t1)
        let deadline = t1.adding(seconds: F.policy.disputeMoveSeconds)
        _ = try world.market.expireDispute(dispute.id, now: deadline.adding(seconds: -1))
        #expect(try world.lease().state == .disputed)
        let lateMove = #expect(throws: MarketplaceError.self) {
            try world.market.moveDispute(dispute.id, .midpoint(step: 7, hash: Self.providerMidpoint), by: world.provider,
                                         stateAvailable: false, now: deadline)
        }
        #expect(lateMove?.isWrongState == true)

        _ = try world.market.expireDispute(dispute.id, now: deadline)
        let ruling = try #require(try world.dispute(dispute.id).ruling)
        #expect(ruling.winner == .challenger)
        #expect(ruling.reason == .missedDeadline)
        #expect(try world.lease().state == .slashed)
        #expect(world.balances(W.challenger).available == F.credits("32"))
        #expect(world.balances(W.challenger).bonded == .zero)
        #expect(world.market.ledger.burned == F.credits("2.5"))
        #expect(world.market.ledger.invariantHolds)
    }

    @Test("stake cannot be withdrawn while the provider's lease is disputed, and can once the dispute ends")
    func withdrawWaitsForDisputes() throws {
        var world = try W(unbonding: "2")  // matures a minute after t0
        #expect(world.balances(world.provider).unbonding == F.credits("2"))
        try world.commitAndReveal()
        try world.passAudit(at: W.revealAt.adding(seconds: 5))
        let t1 = W.revealAt.adding(seconds: 30)
        let dispute = try world.dispute(at: t1)
        let moved = t1.adding(seconds: 1)
        _ = try world.market.moveDispute(dispute.id, .midpoint(step: 7, hash: Self.providerMidpoint), by: world.provider,
                                         stateAvailable: false, now: moved)

        let refused = #expect(throws: MarketplaceError.self) { try world.market.withdraw(account: world.provider, now: moved) }
        #expect(refused?.isWrongState == true, "\(String(describing: refused))")
        #expect(world.balances(world.provider).unbonding == F.credits("2"))

        // The challenger misses its verdict; the lease is back inside its window, so the stake may leave.
        let over = moved.adding(seconds: F.policy.disputeMoveSeconds)
        _ = try world.market.expireDispute(dispute.id, now: over)
        #expect(try world.lease().state == .auditing)
        _ = try world.market.withdraw(account: world.provider, now: over)
        #expect(world.balances(world.provider).unbonding == .zero)
        #expect(world.balances(world.provider).available == F.credits("32.5"))  // 30 + 0.5 of the bond + 2 withdrawn
        #expect(world.market.ledger.invariantHolds)
    }
}
