import Testing
import TenderCore

@Suite("Ledger operations")
struct LedgerOperationTests {
    typealias F = LedgerFixtures
    let alice = F.alice, bob = F.bob, carol = F.carol, treasury = F.treasury

    @Test("mint credits available and the minted total, and starts the chain at genesis")
    func mint() throws {
        var ledger = Ledger()
        let entry = try ledger.apply(.mint(to: alice, amount: F.micros(5_000_000)), at: F.time(10))
        #expect(entry.postings == [F.holder(alice, .available, 5_000_000), F.global(.minted, 5_000_000)])
        #expect(entry.sequence == 1)
        #expect(entry.time == F.time(10))
        #expect(entry.previousHash == JournalEntry.genesisHash)
        #expect(entry.previousHash == String(repeating: "0", count: 64))
        #expect(entry.hash == ledger.headHash)
        #expect(entry.isBalanced)
        #expect(ledger.balances(of: alice).available == F.micros(5_000_000))
        #expect(ledger.minted == F.micros(5_000_000))
        #expect(ledger.burned == .zero)
        #expect(ledger.sequence == 1)
        #expect(ledger.invariantHolds)
    }

    @Test("transfer moves available money between accounts")
    func transfer() throws {
        var ledger = Ledger()
        _ = try ledger.apply(.mint(to: alice, amount: F.micros(5_000_000)), at: F.time(1))
        let entry = try ledger.apply(.transfer(from: alice, to: bob, amount: F.micros(1_250_000)), at: F.time(2))
        #expect(entry.postings == [F.holder(alice, .available, -1_250_000), F.holder(bob, .available, 1_250_000)])
        #expect(ledger.balances(of: alice).available == F.micros(3_750_000))
        #expect(ledger.balances(of: bob).available == F.micros(1_250_000))
        #expect(entry.sequence == 2)
        #expect(ledger.invariantHolds)
    }

    @Test("stake moves available to free stake")
    func stake() throws {
        var ledger = Ledger()
        _ = try ledger.apply(.mint(to: bob, amount: F.micros(9_000_000)), at: F.time(1))
        let entry = try ledger.apply(.stake(account: bob, amount: F.micros(4_000_000)), at: F.time(2))
        #expect(entry.postings == [F.holder(bob, .available, -4_000_000), F.holder(bob, .staked, 4_000_000)])
        #expect(ledger.balances(of: bob).available == F.micros(5_000_000))
        #expect(ledger.balances(of: bob).staked == F.micros(4_000_000))
        #expect(ledger.balances(of: bob).total == F.micros(9_000_000))
    }

    @Test("unbonded stake can be withdrawn only once its release time has come")
    func unbondAndWithdraw() throws {
        var ledger = Ledger()
        _ = try ledger.apply(.mint(to: bob, amount: F.micros(10_000_000)), at: F.time(1))
        _ = try ledger.apply(.stake(account: bob, amount: F.micros(10_000_000)), at: F.time(2))
        let unbond = try ledger.apply(
            .unbond(account: bob, amount: F.micros(3_000_000), releaseAt: F.time(100)), at: F.time(3)
        )
        #expect(unbond.postings == [F.holder(bob, .staked, -3_000_000), F.holder(bob, .unbonding, 3_000_000)])
        _ = try ledger.apply(.unbond(account: bob, amount: F.micros(2_000_000), releaseAt: F.time(200)), at: F.time(4))
        #expect(ledger.unbondingEntries(of: bob) == [
            UnbondingEntry(amount: F.micros(3_000_000), releaseAt: F.time(100)),
            UnbondingEntry(amount: F.micros(2_000_000), releaseAt: F.time(200)),
        ])

        let early = ledger
        #expect(throws: LedgerError.nothingMatured(account: bob, nextReleaseAt: F.time(100))) {
            _ = try ledger.apply(.withdraw(account: bob), at: F.time(99))
        }
        #expect(ledger == early)

        let first = try ledger.apply(.withdraw(account: bob), at: F.time(100))
        #expect(first.postings == [F.holder(bob, .unbonding, -3_000_000), F.holder(bob, .available, 3_000_000)])
        #expect(ledger.unbondingEntries(of: bob) == [UnbondingEntry(amount: F.micros(2_000_000), releaseAt: F.time(200))])
        #expect(ledger.balances(of: bob).unbonding == F.micros(2_000_000))
        #expect(ledger.balances(of: bob).staked == F.micros(5_000_000))

        #expect(throws: LedgerError.nothingMatured(account: bob, nextReleaseAt: F.time(200))) {
            _ = try ledger.apply(.withdraw(account: bob), at: F.time(150))
        }
        _ = try ledger.apply(.withdraw(account: bob), at: F.time(500))
        #expect(ledger.unbondingEntries(of: bob).isEmpty)
        #expect(ledger.balances(of: bob).available == F.micros(5_000_000))
        #expect(ledger.holdsAgreeWithBalances)
    }

    @Test("withdraw moves every matured entry at once")
    func withdrawAllMatured() throws {
        var ledger = Ledger()
        _ = try ledger.apply(.mint(to: bob, amount: F.micros(6)), at: F.time(1))
        _ = try ledger.apply(.stake(account: bob, amount: F.micros(6)), at: F.time(1))
        _ = try ledger.apply(.unbond(account: bob, amount: F.micros(1), releaseAt: F.time(30)), at: F.time(1))
        _ = try ledger.apply(.unbond(account: bob, amount: F.micros(2), releaseAt: F.time(10)), at: F.time(1))
        _ = try ledger.apply(.unbond(account: bob, amount: F.micros(3), releaseAt: F.time(20)), at: F.time(1))
        let entry = try ledger.apply(.withdraw(account: bob), at: F.time(20))
        #expect(entry.postings == [F.holder(bob, .unbonding, -5), F.holder(bob, .available, 5)])
        #expect(ledger.unbondingEntries(of: bob) == [UnbondingEntry(amount: F.micros(1), releaseAt: F.time(30))])
    }

    @Test("fee burns its basis points, rounded down, and pays the rest to the treasury")
    func feeSplit() throws {
        var ledger = Ledger()
        _ = try ledger.apply(.mint(to: bob, amount: F.micros(10_000_000)), at: F.time(1))
        let entry = try ledger.apply(
            .fee(from: bob, amount: F.micros(1_000_003), burnBasisPoints: 2_500, treasury: treasury), at: F.time(2)
        )
        // 25% of 1,000,003 is 250,000.75: 250,000 burned, 750,003 to the treasury.
        #expect(entry.postings == [
            F.holder(bob, .available, -1_000_003), F.holder(treasury, .available, 750_003), F.global(.burned, 250_000),
        ])
        #expect(ledger.burned == F.micros(250_000))
        #expect(ledger.balances(of: treasury).available == F.micros(750_003))
        #expect(ledger.invariantHolds)
    }

    @Test("a fee that is all burn or no burn leaves out the empty side", arguments: [Int64(0), 10_000])
    func feeExtremes(burnBasisPoints: Int64) throws {
        var ledger = Ledger()
        _ = try ledger.apply(.mint(to: bob, amount: F.micros(500)), at: F.time(1))
        let entry = try ledger.apply(
            .fee(from: bob, amount: F.micros(500), burnBasisPoints: burnBasisPoints, treasury: treasury), at: F.time(2)
        )
        let expected = burnBasisPoints == 0
            ? [F.holder(bob, .available, -500), F.holder(treasury, .available, 500)]
            : [F.holder(bob, .available, -500), F.global(.burned, 500)]
        #expect(entry.postings == expected)
        #expect(ledger.invariantHolds)
    }

    @Test("preview gives the entry apply will write, and changes nothing")
    func preview() throws {
        var ledger = Ledger()
        _ = try ledger.apply(.mint(to: alice, amount: F.micros(5_000_000)), at: F.time(1))
        let before = ledger
        let operation = LedgerOperation.transfer(from: alice, to: bob, amount: F.micros(1))
        let previewed = try ledger.preview(operation, at: F.time(2))
        #expect(ledger == before)
        #expect(throws: LedgerError.zeroAmount(operation: "stake")) {
            _ = try ledger.preview(.stake(account: alice, amount: .zero), at: F.time(2))
        }
        #expect(try ledger.apply(operation, at: F.time(2)) == previewed)
        #expect(ledger != before)
    }

    @Test("totals add every bucket over all accounts")
    func totals() throws {
        let (ledger, _) = try F.run(F.everyOperation)
        let totals = ledger.totals
        let held = Bucket.holderBuckets.reduce(Int64(0)) { $0 + totals.holdings[$1].micros }
        #expect(held + totals.burned.micros == totals.minted.micros)
        #expect(totals.outstanding.micros == held)
        #expect(totals.minted == F.micros(70_000_000))
        #expect(ledger.accountIDs == [alice, bob, carol, treasury])
    }
}
