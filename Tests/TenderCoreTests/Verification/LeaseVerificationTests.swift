import Foundation
import Testing
@testable import TenderCore

/// Commitment, beacon reveal, audit, settlement, slashing and liveness through the marketplace.
@Suite("Lease verification")
struct LeaseVerificationTests {
    typealias F = Fixtures
    typealias W = LeaseWorld

    @Test("the award keeps only the beacon's hash in the lease and hands the secret to the shell")
    func awardCommitsToTheBeacon() throws {
        let world = try W()
        let lease = try world.lease()
        #expect(lease.state == .running)
        let beaconHash = try Beacon.commitment(ofSecret: W.secret)
        #expect(lease.beaconCommitment == beaconHash)
        #expect(world.awarded.beaconSecrets == [world.leaseID: W.secret])
        #expect(world.balances(world.provider).lockedCollateral == F.credits("5"))
        #expect(world.balances(F.submitter).escrowed == F.credits("3"))
    }

    @Test("closing an auction refuses a beacon secret that is not 32 bytes of hex")
    func closeRefusesBadSecret() throws {
        var market = Marketplace(policy: F.policy)
        let t0 = W.t0
        _ = try market.mint(F.credits("100"), to: F.submitter, now: t0)
        try F.uploadDataset(&market, now: t0)
        let (order, _) = try market.submitOrder(
            manifest: F.manifest(), manifestHash: W.manifestHash, by: F.submitter, storedInputs: [F.datasetHash], now: t0
        )
        let error = #expect(throws: MarketplaceError.self) {
            try market.closeAuction(order, beaconSecrets: ["beacon"], now: W.closeAt)
        }
        #expect(error?.isInvalid == true)
        #expect(market.orders[order]?.state == .open)
    }

    // MARK: - Commitment

    @Test("a verified commitment is recorded and schedules the beacon reveal and the settlement check")
    func commitRecords() throws {
        var world = try W()
        let (signed, _) = try world.evidence()
        let change = try world.commit()
        let lease = try world.lease()
        #expect(lease.state == .committed)
        // The evidence is kept exactly as signed (compared by payload: signatures may be randomized).
        let stored = try #require(lease.signedCommitment)
        #expect(stored.signer == world.provider)
        #expect(stored.payloadJSON == signed.payloadJSON)
        let verified = try stored.verified()
        #expect(lease.commitment == verified)
        #expect(verified.lease == world.leaseID)
        #expect(lease.commitment?.leafCount == 11)
        #expect(lease.committedAt == W.commitAt)
        #expect(lease.windowEndsAt == W.windowEnds)
        #expect(lease.timeline.last?.kind == .committed)
        #expect(change.deadlines.contains(Deadline(kind: .beaconReveal, subject: world.leaseID.rawValue, at: W.commitAt)))
        #expect(change.deadlines.contains(Deadline(kind: .leaseCheck, subject: world.leaseID.rawValue, at: W.windowEnds)))
        #expect(change.leases == [world.leaseID])
        #expect(world.market.ledger.invariantHolds)
    }

    @Test("a commitment whose trace does not match it is refused and changes nothing")
    func mismatchedTraceIsRefused() throws {
        var world = try W()
        let before = world.market.leases
        let ledger = world.market.ledger
        let (signed, trace) = try world.evidence()
        let otherTrace = Commitment.trace(of: Array(world.hashes.reversed()))
        let traces: [Data] = [otherTrace, trace.dropLast(32), trace + Hashing.sha256(Data("extra".utf8)), Data()]
        for bad in traces {
            let error = #expect(throws: MarketplaceError.self) {
                try world.market.commit(signed, trace: bad, lease: world.leaseID, by: world.provider, now: W.commitAt)
            }
            #expect(error?.isInvalid == true, "\(String(describing: error))")
        }
        #expect(world.market.leases == before)
        #expect(world.market.ledger == ledger)
        #expect(try world.lease().state == .running)
    }

    @Test("a commitment must be the provider's own, for its lease, while running and before the deadline")
    func commitmentRefusals() throws {
        var world = try W()
        let before = world.market.leases
        // Signed by another key: the signature verifies, but the signer is not the provider.
        let (foreign, trace) = try world.evidence(signedBy: KeyPair())
        let foreignError = #expect(throws: MarketplaceError.self) {
            try world.market.commit(foreign, trace: trace, lease: world.leaseID, by: world.provider, now: W.commitAt)
        }
        #expect(foreignError?.isNotYours == true)
        // Posted by someone other than the provider.
        let (signed, _) = try world.evidence()
        let strangerError = #expect(throws: MarketplaceError.self) {
            try world.market.commit(signed, trace: trace, lease: world.leaseID, by: W.challenger, now: W.commitAt)
        }
        #expect(strangerError?.isNotYours == true)
        // A tampered payload no longer verifies.
        var tampered = signed
        tampered.payloadJSON = tampered.payloadJSON.replacingOccurrences(of: "\"totalSteps\":20", with: "\"totalSteps\":21")
        #expect(tampered.payloadJSON != signed.payloadJSON)
        let tamperedError = #expect(throws: MarketplaceError.self) {
            try world.market.commit(tampered, trace: trace, lease: world.leaseID, by: world.provider, now: W.commitAt)
        }
        #expect(tamperedError?.isInvalid == true)
        // At the deadline.
        let deadline = try world.lease().deadline
        let lateError = #expect(throws: MarketplaceError.self) {
            try world.market.commit(signed, trace: trace, lease: world.leaseID, by: world.provider, now: deadline)
        }
        #expect(lateError?.isWrongState == true)
        #expect(world.market.leases == before)
        // Accepted once, then refused.
        try world.commit()
        let againError = #expect(throws: MarketplaceError.self) {
            try world.market.commit(signed, trace: trace, lease: world.leaseID, by: world.provider, now: W.commitAt.adding(seconds: 1))
        }
        #expect(againError?.isWrongState == true)
    }

    // MARK: - Beacon and audit sample

    @Test("the beacon opens only with the secret drawn at award, and the sample is recomputable from it")
    func revealDrawsTheSample() throws {
        var world = try W()
        // Not before the commitment.
        #expect(throws: MarketplaceError.self) { try world.reveal(at: W.closeAt.adding(seconds: 1)) }
        try world.commit()
        let wrong = #expect(throws: MarketplaceError.self) {
            try world.market.revealBeacon(lease: world.leaseID, secret: Hashing.sha256Hex("a guess"), now: W.revealAt)
        }
        #expect(wrong?.isWrongState == true)
        #expect(try world.lease().state == .committed)
        #expect(try world.lease().audit == nil)

        try world.reveal()
        let lease = try world.lease()
        #expect(lease.state == .auditing)
        let audit = try #require(lease.audit)
        let root = try #require(lease.commitment?.root)
        let seed = try Beacon.seed(manifestHash: W.manifestHash, root: root, secret: W.secret)
        #expect(audit.secret == W.secret)
        #expect(audit.seed == Hex.encode(seed))
        #expect(audit.segmentCount == 10)
        #expect(audit.segments == AuditSample.draw(seed: seed, segments: 10, count: lease.samples))
        #expect(audit.segments.count == 4)
        #expect(audit.availableUntil == W.availableUntil)
        #expect(audit.checks.isEmpty)
        #expect(lease.timeline.last?.kind == .beaconRevealed)
        // Revealed once.
        #expect(throws: MarketplaceError.self) { try world.reveal(at: W.revealAt.adding(seconds: 1)) }
        #expect(world.market.ledger.invariantHolds)
    }

    // MARK: - Settlement

    @Test("a passed audit settles after the window: the provider is paid less the fee and its collateral unlocked")
    func passedAuditSettles() throws {
        var world = try W()
        try world.commitAndReveal()
        try world.passAudit(at: W.revealAt.adding(seconds: 10))
        var lease = try world.lease()
        #expect(lease.audit?.passed == true)
        #expect(lease.audit?.checks.count == 5)
        #expect(lease.timeline.last?.kind == .auditPassed)
        #expect(lease.state == .auditing)  // the window is still open

        _ = try world.market.checkLease(world.leaseID, now: W.windowEnds.adding(seconds: -1))
        #expect(try world.lease().state == .auditing)
        #expect(world.balances(world.provider).available == F.credits("30"))

        let settled = try world.market.checkLease(world.leaseID, now: W.windowEnds)
        lease = try world.lease()
        #expect(lease.state == .settled)
        #expect(lease.endedAt == W.windowEnds)
        #expect(lease.timeline.last?.kind == .settled)
        #expect(!settled.journal.isEmpty)
        let provider = world.balances(world.provider)
        #expect(provider.available == F.credits("32.97"))  // 30 + 3 - 1% fee
        #expect(provider.staked == F.credits("20"))
        #expect(provider.lockedCollateral == .zero)
        #expect(world.balances(F.submitter).available == F.credits("97"))
        #expect(world.balances(F.submitter).escrowed == .zero)
        #expect(world.balances(F.policy.treasury).available == F.credits("0.015"))
        #expect(world.market.ledger.burned == F.credits("0.015"))
        #expect(world.market.account(world.provider).reputationBasisPoints > Reputation.initialBasisPoints)
        #expect(world.market.ledger.invariantHolds)
    }

    @Test("at the end of the window an incomplete audit holds the payment until it completes")
    func incompleteAuditHoldsSettlement() throws {
        var world = try W()
        try world.commitAndReveal()
        let audit = try #require(try world.lease().audit)
        let last = try #require(audit.segments.last)
        try world.passAudit(at: W.revealAt.adding(seconds: 10), skipping: last)
        #expect(try world.lease().audit?.pendingSegments == [last])

        _ = try world.market.checkLease(world.leaseID, now: W.windowEnds)
        _ = try world.market.checkLease(world.leaseID, now: W.windowEnds.adding(seconds: 3_600))
        #expect(try world.lease().state == .auditing)
        #expect(world.balances(world.provider).available == F.credits("30"))
        #expect(world.balances(world.provider).lockedCollateral == F.credits("5"))
        #expect(world.balances(F.submitter).escrowed == F.credits("3"))

        // The last check completes the audit past the window, and the lease settles at once.
        let late = W.windowEnds.adding(seconds: 3_601)
        try world.passAudit(at: late)
        #expect(try world.lease().state == .settled)
        #expect(world.balances(world.provider).available == F.credits("32.97"))
        #expect(world.market.ledger.invariantHolds)
    }

    @Test("a check for an unsampled or already checked segment is refused")
    func checksMustBePending() throws {
        var world = try W()
        try world.commitAndReveal()
        let audit = try #require(try world.lease().audit)
        let unsampled = try #require((0..<10).first(where: { !audit.segments.contains($0) }))
        let now = W.revealAt.adding(seconds: 5)
        #expect(throws: MarketplaceError.self) {
            try world.market.recordAudit(AuditCheck(segment: unsampled, verdict: .passed, detail: "", at: now), lease: world.leaseID, now: now)
        }
        try world.passAudit(at: now)
        #expect(throws: MarketplaceError.self) {
            try world.market.recordAudit(AuditCheck(segment: audit.segments[0], verdict: .passed, detail: "", at: now), lease: world.leaseID, now: now)
        }
        #expect(throws: MarketplaceError.self) {
            try world.market.recordAudit(AuditCheck(segment: nil, verdict: .passed, detail: "", at: now), lease: world.leaseID, now: now)
        }
        #expect(try world.lease().audit?.checks.count == 5)
    }

    // MARK: - Slashing

    @Test(
        "a failed audit check slashes: escrow refunded, 40% to the audit pool, 10% to the submitter, 50% burned, provider jailed",
        arguments: [AuditCheck.Verdict.mismatch, .invalid, .unavailable]
    )
    func failedCheckSlashes(verdict: AuditCheck.Verdict) throws {
        var world = try W()
        try world.commitAndReveal()
        let segment = try #require(try world.lease().audit?.segments.first)
        let now = W.availableUntil
        let check = AuditCheck(
            segment: segment, verdict: verdict, expected: world.leaf(segment + 1), computed: Hashing.sha256Hex("something else"),
            detail: "re-execution differs", at: now
        )
        let change = try world.market.recordAudit(check, lease: world.leaseID, now: now)
        let lease = try world.lease()
        #expect(lease.state == .slashed)
        #expect(lease.endedAt == now)
        #expect(lease.audit?.failure == check)
        let lastEvents = Array(lease.timeline.map(\.kind).suffix(2))
        #expect(lastEvents == [.auditFailed, .slashed])
        #expect(change.accounts.contains(world.provider))

        let submitter = world.balances(F.submitter)
        #expect(submitter.escrowed == .zero)
        #expect(submitter.available == F.credits("100.5"))  // 97 + 3 escrow + 0.5 (10%)
        #expect(world.balances(F.policy.auditPool).available == F.credits("2"))  // 40%
        #expect(world.market.ledger.burned == F.credits("2.5"))  // 50%
        let provider = world.balances(world.provider)
        #expect(provider.lockedCollateral == .zero)
        #expect(provider.staked == F.credits("15"))
        #expect(provider.available == F.credits("30"))
        #expect(world.market.account(world.provider).jailedUntil == now.adding(seconds: F.policy.jailSeconds))
        #expect(world.market.account(world.provider).reputationBasisPoints < Reputation.initialBasisPoints)
        // A slashed lease takes no more checks and never settles.
        #expect(throws: MarketplaceError.self) { try world.passAudit(at: now) }
        _ = try world.market.checkLease(world.leaseID, now: W.windowEnds)
        #expect(try world.lease().state == .slashed)
        #expect(world.market.ledger.invariantHolds)
    }

    @Test("a failed result check slashes too")
    func failedResultSlashes() throws {
        var world = try W()
        try world.commitAndReveal()
        let now = W.revealAt.adding(seconds: 5)
        let check = AuditCheck(segment: nil, verdict: .mismatch, expected: Hex.encode(W.resultHash), computed: Hashing.sha256Hex("x"),
                               detail: "the result is not the final state's", at: now)
        _ = try world.market.recordAudit(check, lease: world.leaseID, now: now)
        #expect(try world.lease().state == .slashed)
        #expect(world.balances(F.policy.auditPool).available == F.credits("2"))
        #expect(world.market.ledger.invariantHolds)
    }

    @Test("a missing state is not fraud until the availability deadline has passed")
    func unavailableWaitsForTheDeadline() throws {
        var world = try W()
        try world.commitAndReveal()
        let segment = try #require(try world.lease().audit?.segments.first)
        let early = W.availableUntil.adding(seconds: -1)
        let error = #expect(throws: MarketplaceError.self) {
            try world.market.recordAudit(
                AuditCheck(segment: segment, verdict: .unavailable, detail: "state not in the store", at: early), lease: world.leaseID, now: early
            )
        }
        #expect(error?.isWrongState == true)
        let lease = try world.lease()
        #expect(lease.state == .auditing)
        #expect(lease.audit?.checks.isEmpty == true)
        #expect(world.balances(world.provider).lockedCollateral == F.credits("5"))
        #expect(world.market.ledger.burned == .zero)
        #expect(world.market.ledger.invariantHolds)
    }

    // MARK: - Liveness

    @Test("a lease with no commitment by the deadline fails: the penalty is burned and the submitter gets only its escrow back")
    func livenessPenaltyIsBurned() throws {
        var world = try W()
        let lease = try world.lease()
        _ = try world.market.checkLease(world.leaseID, now: W.closeAt.adding(seconds: 60))
        #expect(try world.lease().state == .running)

        let burnedBefore = world.market.ledger.burned
        let submitterBefore = world.balances(F.submitter)
        _ = try world.market.checkLease(world.leaseID, now: lease.deadline)
        let failed = try world.lease()
        #expect(failed.state == .failed)
        #expect(failed.timeline.last?.kind == .failed)
        let penalty = try lease.collateral.basisPoints(F.policy.livenessPenaltyBasisPoints)
        #expect(penalty == F.credits("0.5"))
        #expect(failed.timeline.last?.amount == penalty)
        let burnedAfter = try burnedBefore.adding(penalty)
        #expect(world.market.ledger.burned == burnedAfter)
        let submitter = world.balances(F.submitter)
        let escrowBack = try submitterBefore.available.adding(submitterBefore.escrowed)
        #expect(submitter.available == escrowBack)
        #expect(submitter.available == F.credits("100"))
        #expect(submitter.escrowed == .zero)
        let provider = world.balances(world.provider)
        #expect(provider.lockedCollateral == .zero)
        #expect(provider.staked == F.credits("19.5"))
        #expect(world.balances(F.policy.treasury).available == .zero)
        #expect(world.balances(F.policy.auditPool).available == .zero)
        // A failed lease takes no commitment.
        let (signed, trace) = try world.evidence()
        #expect(throws: MarketplaceError.self) {
            try world.market.commit(signed, trace: trace, lease: world.leaseID, by: world.provider, now: lease.deadline)
        }
        #expect(world.market.ledger.invariantHolds)
    }
}

@Suite("Commitments that do not fit the job")
struct CommitmentScheduleTests {
    @Test("a commitment to a shorter schedule than the job's is refused and changes nothing",
          arguments: [(LeaseWorld.totalSteps / 2, LeaseWorld.interval), (LeaseWorld.totalSteps, LeaseWorld.interval * 2)])
    func wrongSchedule(steps: Int, interval: Int) throws {
        var world = try LeaseWorld()
        let schedule = try CheckpointSchedule(totalSteps: steps, interval: interval)
        let hashes = (0..<schedule.leafCount).map { Hashing.sha256(Data("short \($0)".utf8)) }
        let commitment = try Commitment(
            lease: world.leaseID, stateHashes: hashes, totalSteps: steps, checkpointInterval: interval, resultHash: LeaseWorld.resultHash
        )
        let signed = try Signed(commitment, by: world.key)
        let before = try world.lease()
        #expect(throws: MarketplaceError.self) {
            try world.market.commit(signed, trace: Commitment.trace(of: hashes), lease: world.leaseID, by: world.key.account, now: LeaseWorld.commitAt)
        }
        #expect(try world.lease() == before)
    }
}
