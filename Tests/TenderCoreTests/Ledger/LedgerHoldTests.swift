import Testing
import TenderCore

@Suite("Ledger holds: escrow, collateral, bonds")
struct LedgerHoldTests {
    typealias F = LedgerFixtures
    let submitter = F.alice, provider = F.bob, challenger = F.carol

    /// Submitter with 20 credits available; provider with 10 credits staked and 1 available.
    func funded() throws -> Ledger {
        var ledger = Ledger()
        _ = try ledger.apply(.mint(to: submitter, amount: F.micros(20_000_000)), at: F.time(1))
        _ = try ledger.apply(.mint(to: provider, amount: F.micros(11_000_000)), at: F.time(1))
        _ = try ledger.apply(.stake(account: provider, amount: F.micros(10_000_000)), at: F.time(1))
        _ = try ledger.apply(.mint(to: challenger, amount: F.micros(5_000_000)), at: F.time(1))
        return ledger
    }

    // MARK: - Escrow

    @Test("escrow is locked, partly released to the provider, and the rest refunded to the owner")
    func escrowPartialReleaseThenRefund() throws {
        var ledger = try funded()
        let lock = try ledger.apply(.lockEscrow(hold: .order(12), owner: submitter, amount: F.micros(8_000_000)), at: F.time(2))
        #expect(lock.postings == [F.holder(submitter, .available, -8_000_000), F.holder(submitter, .escrowed, 8_000_000)])
        #expect(ledger.hold(.order(12))?.remaining == F.micros(8_000_000))
        #expect(ledger.hold(.order(12))?.kind == .escrow)
        #expect(ledger.hold(.order(12))?.owner == submitter)

        let pay = try ledger.apply(.releaseEscrow(hold: .order(12), to: provider, amount: F.micros(5_500_000)), at: F.time(3))
        #expect(pay.postings == [F.holder(submitter, .escrowed, -5_500_000), F.holder(provider, .available, 5_500_000)])
        #expect(ledger.hold(.order(12))?.remaining == F.micros(2_500_000))
        #expect(ledger.hold(.order(12))?.isOpen == true)

        let refund = try ledger.apply(.refundEscrow(hold: .order(12)), at: F.time(4))
        #expect(refund.postings == [F.holder(submitter, .escrowed, -2_500_000), F.holder(submitter, .available, 2_500_000)])
        #expect(ledger.hold(.order(12))?.isOpen == false)
        #expect(ledger.hold(.order(12))?.locked == F.micros(8_000_000))
        #expect(ledger.balances(of: submitter).available == F.micros(14_500_000))
        #expect(ledger.balances(of: submitter).escrowed == .zero)
        #expect(ledger.balances(of: provider).available == F.micros(6_500_000))
        #expect(ledger.openHolds(of: submitter).isEmpty)

        let closed = ledger
        #expect(throws: LedgerError.holdClosed(.order(12))) { _ = try ledger.apply(.refundEscrow(hold: .order(12)), at: F.time(5)) }
        #expect(throws: LedgerError.holdClosed(.order(12))) {
            _ = try ledger.apply(.releaseEscrow(hold: .order(12), to: provider, amount: F.micros(1)), at: F.time(5))
        }
        #expect(ledger == closed)
        #expect(ledger.invariantHolds && ledger.holdsAgreeWithBalances)
    }

    @Test("releasing the whole escrow closes the hold, and it cannot be released again")
    func fullReleaseCloses() throws {
        var ledger = try funded()
        _ = try ledger.apply(.lockEscrow(hold: .order(1), owner: submitter, amount: F.micros(3)), at: F.time(2))
        _ = try ledger.apply(.releaseEscrow(hold: .order(1), to: provider, amount: F.micros(3)), at: F.time(3))
        #expect(ledger.hold(.order(1))?.isOpen == false)
        #expect(throws: LedgerError.holdClosed(.order(1))) {
            _ = try ledger.apply(.releaseEscrow(hold: .order(1), to: provider, amount: F.micros(3)), at: F.time(4))
        }
    }

    @Test("escrow cannot be over-released")
    func overRelease() throws {
        var ledger = try funded()
        _ = try ledger.apply(.lockEscrow(hold: .order(1), owner: submitter, amount: F.micros(1_000)), at: F.time(2))
        _ = try ledger.apply(.releaseEscrow(hold: .order(1), to: provider, amount: F.micros(600)), at: F.time(3))
        let before = ledger
        #expect(throws: LedgerError.overRelease(.order(1), requested: F.micros(401), remaining: F.micros(400))) {
            _ = try ledger.apply(.releaseEscrow(hold: .order(1), to: provider, amount: F.micros(401)), at: F.time(4))
        }
        #expect(ledger == before)
    }

    // MARK: - Collateral

    @Test("collateral is locked from free stake and unlocked back to it")
    func collateralLockUnlock() throws {
        var ledger = try funded()
        let lock = try ledger.apply(.lockCollateral(hold: .lease(7), provider: provider, amount: F.micros(4_000_000)), at: F.time(2))
        #expect(lock.postings == [F.holder(provider, .staked, -4_000_000), F.holder(provider, .lockedCollateral, 4_000_000)])
        #expect(ledger.openHolds(of: provider).keys.sorted() == [.lease(7)])
        let unlock = try ledger.apply(.unlockCollateral(hold: .lease(7)), at: F.time(3))
        #expect(unlock.postings == [F.holder(provider, .lockedCollateral, -4_000_000), F.holder(provider, .staked, 4_000_000)])
        #expect(ledger.balances(of: provider).staked == F.micros(10_000_000))
        #expect(ledger.balances(of: provider).lockedCollateral == .zero)
    }

    @Test("a slash splits 40% to the challenger, 10% to the submitter and burns the rest exactly",
          arguments: [Int64(1_000_003), 1_000_000, 1, 7, 9_999_999])
    func slashSplit(collateral: Int64) throws {
        var ledger = try funded()
        _ = try ledger.apply(.lockCollateral(hold: .lease(7), provider: provider, amount: F.micros(collateral)), at: F.time(2))
        let mintedBefore = ledger.minted
        let entry = try ledger.apply(.slashCollateral(hold: .lease(7), challenger: challenger, submitter: submitter), at: F.time(3))
        let toChallenger = collateral * 4 / 10
        let toSubmitter = collateral / 10
        let burnt = collateral - toChallenger - toSubmitter
        var expected = [F.holder(provider, .lockedCollateral, -collateral)]
        if toChallenger > 0 { expected.append(F.holder(challenger, .available, toChallenger)) }
        if toSubmitter > 0 { expected.append(F.holder(submitter, .available, toSubmitter)) }
        expected.append(F.global(.burned, burnt))
        #expect(entry.postings == expected)
        #expect(toChallenger + toSubmitter + burnt == collateral)
        #expect(burnt * 2 >= collateral)
        #expect(ledger.burned == F.micros(burnt))
        #expect(ledger.minted == mintedBefore)
        #expect(ledger.hold(.lease(7))?.isOpen == false)
        #expect(ledger.invariantHolds && ledger.holdsAgreeWithBalances)
    }

    @Test("slashing 1,000,003 micros pays 400,001 and 100,000 and burns 500,002")
    func slashOddAmount() throws {
        var ledger = try funded()
        _ = try ledger.apply(.lockCollateral(hold: .lease(1), provider: provider, amount: F.micros(1_000_003)), at: F.time(2))
        let entry = try ledger.apply(.slashCollateral(hold: .lease(1), challenger: F.auditPool, submitter: submitter), at: F.time(3))
        #expect(entry.postings == [
            F.holder(provider, .lockedCollateral, -1_000_003),
            F.holder(F.auditPool, .available, 400_001),
            F.holder(submitter, .available, 100_000),
            F.global(.burned, 500_002),
        ])
        #expect(throws: LedgerError.holdClosed(.lease(1))) {
            _ = try ledger.apply(.slashCollateral(hold: .lease(1), challenger: challenger, submitter: submitter), at: F.time(4))
        }
        #expect(throws: LedgerError.holdClosed(.lease(1))) { _ = try ledger.apply(.unlockCollateral(hold: .lease(1)), at: F.time(4)) }
    }

    // MARK: - Bonds

    @Test("a returned bond goes back to its owner's available")
    func bondReturn() throws {
        var ledger = try funded()
        let post = try ledger.apply(.postBond(hold: .dispute(3), account: challenger, amount: F.micros(2_000_000)), at: F.time(2))
        #expect(post.postings == [F.holder(challenger, .available, -2_000_000), F.holder(challenger, .bonded, 2_000_000)])
        let back = try ledger.apply(.returnBond(hold: .dispute(3)), at: F.time(3))
        #expect(back.postings == [F.holder(challenger, .bonded, -2_000_000), F.holder(challenger, .available, 2_000_000)])
        #expect(ledger.balances(of: challenger).available == F.micros(5_000_000))
        #expect(throws: LedgerError.holdClosed(.dispute(3))) { _ = try ledger.apply(.returnBond(hold: .dispute(3)), at: F.time(4)) }
    }

    @Test("a forfeited bond pays half to the provider and burns the rest", arguments: [Int64(2_000_000), 1_000_001, 1])
    func bondForfeit(bond: Int64) throws {
        var ledger = try funded()
        _ = try ledger.apply(.postBond(hold: .dispute(3), account: challenger, amount: F.micros(bond)), at: F.time(2))
        let entry = try ledger.apply(.forfeitBond(hold: .dispute(3), to: provider), at: F.time(3))
        let half = bond / 2
        var expected = [F.holder(challenger, .bonded, -bond)]
        if half > 0 { expected.append(F.holder(provider, .available, half)) }
        expected.append(F.global(.burned, bond - half))
        #expect(entry.postings == expected)
        #expect(ledger.balances(of: provider).available == F.micros(1_000_000 + half))
        #expect(ledger.burned == F.micros(bond - half))
        #expect(ledger.invariantHolds && ledger.holdsAgreeWithBalances)
        #expect(throws: LedgerError.holdClosed(.dispute(3))) { _ = try ledger.apply(.forfeitBond(hold: .dispute(3), to: provider), at: F.time(4)) }
    }

    @Test("hold ids are never reused, even after the hold closes")
    func noReuse() throws {
        var ledger = try funded()
        _ = try ledger.apply(.postBond(hold: "dispute:9", account: challenger, amount: F.micros(5)), at: F.time(2))
        _ = try ledger.apply(.returnBond(hold: "dispute:9"), at: F.time(3))
        #expect(throws: LedgerError.duplicateHold("dispute:9")) {
            _ = try ledger.apply(.lockEscrow(hold: "dispute:9", owner: submitter, amount: F.micros(5)), at: F.time(4))
        }
    }
}

@Suite("Ledger liveness penalty")
struct LedgerPenaltyTests {
    @Test("a penalty pays part of the collateral to the submitter and leaves the rest locked")
    func penalty() throws {
        let provider = LedgerFixtures.account("5")
        let submitter = LedgerFixtures.account("6")
        var ledger = Ledger()
        let t = Timestamp(millis: 1)
        _ = try ledger.apply(.mint(to: provider, amount: Amount(micros: 1_000)), at: t)
        _ = try ledger.apply(.stake(account: provider, amount: Amount(micros: 1_000)), at: t)
        _ = try ledger.apply(.lockCollateral(hold: .lease(1), provider: provider, amount: Amount(micros: 600)), at: t)
        let entry = try ledger.apply(.penalizeCollateral(hold: .lease(1), amount: Amount(micros: 60), to: submitter), at: t)
        #expect(entry.isBalanced)
        #expect(ledger.balances(of: provider).lockedCollateral.micros == 540)
        #expect(ledger.balances(of: submitter).available.micros == 60)
        #expect(throws: LedgerError.self) {
            try ledger.apply(.penalizeCollateral(hold: .lease(1), amount: Amount(micros: 541), to: submitter), at: t)
        }
        _ = try ledger.apply(.unlockCollateral(hold: .lease(1)), at: t)
        #expect(ledger.balances(of: provider).staked.micros == 940)
        #expect(ledger.invariantHolds)
    }
}
