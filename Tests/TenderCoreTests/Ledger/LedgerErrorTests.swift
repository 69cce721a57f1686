import Testing
import TenderCore

/// One operation the base ledger must refuse, and the exact error.
struct LedgerRefusalCase: Sendable, CustomTestStringConvertible {
    let name: String
    let operation: LedgerOperation
    let error: LedgerError
    var testDescription: String { name }
}

@Suite("Ledger refusals")
struct LedgerErrorTests {
    typealias F = LedgerFixtures

    /// Alice: 10 available, 5 staked minus holds; open escrow order:1 (2), collateral lease:1 (3),
    /// bond dispute:1 (1); closed escrow order:0; an unbonding entry of 1 releasing at t=1000.
    static func base() throws -> Ledger {
        let (ledger, _) = try F.run([
            .mint(to: F.alice, amount: F.micros(20_000_000)),
            .stake(account: F.alice, amount: F.micros(9_000_000)),
            .lockEscrow(hold: .order(0), owner: F.alice, amount: F.micros(1)),
            .refundEscrow(hold: .order(0)),
            .lockEscrow(hold: .order(1), owner: F.alice, amount: F.micros(2_000_000)),
            .lockCollateral(hold: .lease(1), provider: F.alice, amount: F.micros(3_000_000)),
            .postBond(hold: .dispute(1), account: F.alice, amount: F.micros(1_000_000)),
            .unbond(account: F.alice, amount: F.micros(1_000_000), releaseAt: F.time(1_000)),
        ])
        return ledger
    }

    static let now = F.time(100)

    static let cases: [LedgerRefusalCase] = {
        let alice = F.alice, bob = F.bob
        let m = F.micros
        return [
            .init(name: "mint of zero", operation: .mint(to: alice, amount: .zero), error: .zeroAmount(operation: "mint")),
            .init(name: "transfer of zero", operation: .transfer(from: alice, to: bob, amount: .zero),
                  error: .zeroAmount(operation: "transfer")),
            .init(name: "transfer beyond available", operation: .transfer(from: alice, to: bob, amount: m(14_000_000)),
                  error: .insufficientFunds(account: alice, bucket: .available, needed: m(14_000_000), had: m(8_000_000))),
            .init(name: "transfer from an unknown account", operation: .transfer(from: bob, to: alice, amount: m(1)),
                  error: .insufficientFunds(account: bob, bucket: .available, needed: m(1), had: .zero)),
            .init(name: "stake beyond available", operation: .stake(account: alice, amount: m(8_000_001)),
                  error: .insufficientFunds(account: alice, bucket: .available, needed: m(8_000_001), had: m(8_000_000))),
            .init(name: "stake of zero", operation: .stake(account: alice, amount: .zero), error: .zeroAmount(operation: "stake")),
            .init(name: "unbond beyond free stake", operation: .unbond(account: alice, amount: m(5_000_001), releaseAt: F.time(5)),
                  error: .insufficientFunds(account: alice, bucket: .staked, needed: m(5_000_001), had: m(5_000_000))),
            .init(name: "withdraw before release", operation: .withdraw(account: alice),
                  error: .nothingMatured(account: alice, nextReleaseAt: F.time(1_000))),
            .init(name: "withdraw with nothing unbonding", operation: .withdraw(account: bob),
                  error: .nothingMatured(account: bob, nextReleaseAt: nil)),
            .init(name: "escrow under an open hold id", operation: .lockEscrow(hold: .order(1), owner: alice, amount: m(1)),
                  error: .duplicateHold(.order(1))),
            .init(name: "escrow under a closed hold id", operation: .lockEscrow(hold: .order(0), owner: alice, amount: m(1)),
                  error: .duplicateHold(.order(0))),
            .init(name: "escrow under an empty hold id", operation: .lockEscrow(hold: "", owner: alice, amount: m(1)),
                  error: .invalidHoldID("")),
            .init(name: "escrow under a hold id with a space", operation: .lockEscrow(hold: "order 2", owner: alice, amount: m(1)),
                  error: .invalidHoldID("order 2")),
            .init(name: "escrow beyond available", operation: .lockEscrow(hold: .order(2), owner: alice, amount: m(9_000_000)),
                  error: .insufficientFunds(account: alice, bucket: .available, needed: m(9_000_000), had: m(8_000_000))),
            .init(name: "escrow of zero", operation: .lockEscrow(hold: .order(2), owner: alice, amount: .zero),
                  error: .zeroAmount(operation: "lockEscrow")),
            .init(name: "release from an unknown hold", operation: .releaseEscrow(hold: .order(99), to: bob, amount: m(1)),
                  error: .unknownHold(.order(99))),
            .init(name: "release more than the escrow holds", operation: .releaseEscrow(hold: .order(1), to: bob, amount: m(2_000_001)),
                  error: .overRelease(.order(1), requested: m(2_000_001), remaining: m(2_000_000))),
            .init(name: "release zero", operation: .releaseEscrow(hold: .order(1), to: bob, amount: .zero),
                  error: .zeroAmount(operation: "releaseEscrow")),
            .init(name: "release escrow from a collateral hold", operation: .releaseEscrow(hold: .lease(1), to: bob, amount: m(1)),
                  error: .wrongHoldKind(.lease(1), expected: .escrow, actual: .collateral)),
            .init(name: "refund a closed escrow", operation: .refundEscrow(hold: .order(0)), error: .holdClosed(.order(0))),
            .init(name: "refund a bond as escrow", operation: .refundEscrow(hold: .dispute(1)),
                  error: .wrongHoldKind(.dispute(1), expected: .escrow, actual: .bond)),
            .init(name: "collateral beyond free stake", operation: .lockCollateral(hold: .lease(2), provider: alice, amount: m(5_000_001)),
                  error: .insufficientFunds(account: alice, bucket: .staked, needed: m(5_000_001), had: m(5_000_000))),
            .init(name: "collateral under an existing id", operation: .lockCollateral(hold: .dispute(1), provider: alice, amount: m(1)),
                  error: .duplicateHold(.dispute(1))),
            .init(name: "unlock an escrow as collateral", operation: .unlockCollateral(hold: .order(1)),
                  error: .wrongHoldKind(.order(1), expected: .collateral, actual: .escrow)),
            .init(name: "unlock an unknown hold", operation: .unlockCollateral(hold: .lease(9)), error: .unknownHold(.lease(9))),
            .init(name: "slash an unknown hold", operation: .slashCollateral(hold: .lease(9), challenger: bob, submitter: alice),
                  error: .unknownHold(.lease(9))),
            .init(name: "slash a bond", operation: .slashCollateral(hold: .dispute(1), challenger: bob, submitter: alice),
                  error: .wrongHoldKind(.dispute(1), expected: .collateral, actual: .bond)),
            .init(name: "bond beyond available", operation: .postBond(hold: .dispute(2), account: bob, amount: m(1)),
                  error: .insufficientFunds(account: bob, bucket: .available, needed: m(1), had: .zero)),
            .init(name: "bond of zero", operation: .postBond(hold: .dispute(2), account: alice, amount: .zero),
                  error: .zeroAmount(operation: "postBond")),
            .init(name: "return an unknown bond", operation: .returnBond(hold: .dispute(2)), error: .unknownHold(.dispute(2))),
            .init(name: "forfeit collateral as a bond", operation: .forfeitBond(hold: .lease(1), to: bob),
                  error: .wrongHoldKind(.lease(1), expected: .bond, actual: .collateral)),
            .init(name: "fee above 10,000 basis points", operation: .fee(from: alice, amount: m(1), burnBasisPoints: 10_001, treasury: bob),
                  error: .invalidBasisPoints(10_001)),
            .init(name: "fee below 0 basis points", operation: .fee(from: alice, amount: m(1), burnBasisPoints: -1, treasury: bob),
                  error: .invalidBasisPoints(-1)),
            .init(name: "fee of zero", operation: .fee(from: alice, amount: .zero, burnBasisPoints: 0, treasury: bob),
                  error: .zeroAmount(operation: "fee")),
            .init(name: "fee beyond available", operation: .fee(from: alice, amount: m(8_000_001), burnBasisPoints: 100, treasury: bob),
                  error: .insufficientFunds(account: alice, bucket: .available, needed: m(8_000_001), had: m(8_000_000))),
            .init(name: "mint past the largest amount", operation: .mint(to: bob, amount: m(Int64.max)), error: .overflow),
        ]
    }()

    @Test("a refused operation throws the exact error and changes nothing", arguments: cases)
    func refusal(_ refusal: LedgerRefusalCase) throws {
        let before = try Self.base()
        var ledger = before
        do {
            let entry = try ledger.apply(refusal.operation, at: Self.now)
            Issue.record("expected \(refusal.error), got entry \(entry.sequence)")
        } catch {
            #expect(error == refusal.error)
        }
        #expect(ledger == before)
        #expect(ledger.headHash == before.headHash)
    }

    @Test("time may not go backwards")
    func timeBackwards() throws {
        var ledger = try Self.base()
        let before = ledger
        #expect(throws: LedgerError.timeWentBackwards(last: F.time(8), now: F.time(7))) {
            _ = try ledger.apply(.mint(to: F.bob, amount: F.micros(1)), at: F.time(7))
        }
        #expect(ledger == before)
        _ = try ledger.apply(.mint(to: F.bob, amount: F.micros(1)), at: F.time(8))
    }

    @Test("insufficient funds says which account, which bucket, what was needed and what it had")
    func insufficientDescription() {
        let error = LedgerError.insufficientFunds(
            account: F.alice, bucket: .staked, needed: F.micros(5_000_001), had: F.micros(5_000_000)
        )
        #expect(error.description == "account aaaaaaaaaaaa needs 5.000001 staked but has 5.000000")
    }

    @Test("every refusal has a readable description naming its subject", arguments: cases)
    func descriptions(_ refusal: LedgerRefusalCase) {
        let text = refusal.error.description
        #expect(!text.isEmpty)
        switch refusal.error {
        case .unknownHold(let hold), .duplicateHold(let hold), .holdClosed(let hold), .invalidHoldID(let hold),
             .overRelease(let hold, _, _), .wrongHoldKind(let hold, _, _):
            #expect(text.contains("'\(hold)'"))
        case .nothingMatured(let account, _):
            #expect(text.contains(account.short))
        case .zeroAmount(let operation):
            #expect(text.hasPrefix(operation))
        default:
            break
        }
    }
}
