import TenderCore

/// Accounts, amounts and times shared by the ledger tests. Named so they cannot collide with other
/// features' helpers in the same test target.
enum LedgerFixtures {
    static let alice = account("a")
    static let bob = account("b")
    static let carol = account("c")
    static let dave = account("d")
    static let treasury = account("e")
    /// Not `account("f")`: 32 bytes of 0xff encode y >= p, a non-canonical key no account may have.
    static let auditPool = id(String(repeating: "f", count: 63) + "e")

    /// An account id made of one repeated hex digit.
    static func account(_ digit: Character) -> AccountID {
        id(String(repeating: digit, count: 64))
    }

    static func id(_ hex: String) -> AccountID {
        guard let id = try? AccountID(hex) else { preconditionFailure("'\(hex)' is not a usable account id") }
        return id
    }

    /// An amount in micro-credits; the tests only write non-negative literals.
    static func micros(_ value: Int64) -> Amount {
        guard let amount = try? Amount(micros: value) else { preconditionFailure("negative amount \(value)") }
        return amount
    }

    static func time(_ millis: Int64) -> Timestamp { Timestamp(millis: millis) }

    static func holder(_ account: AccountID, _ bucket: Bucket, _ delta: Int64) -> Posting {
        Posting(account: account, bucket: bucket, delta: delta)
    }

    static func global(_ bucket: Bucket, _ delta: Int64) -> Posting {
        Posting(account: nil, bucket: bucket, delta: delta)
    }

    /// Applies `operations` at times 1, 2, 3, ... and returns the ledger and its journal.
    static func run(_ operations: [LedgerOperation]) throws -> (Ledger, [JournalEntry]) {
        var ledger = Ledger()
        var journal: [JournalEntry] = []
        for (index, operation) in operations.enumerated() {
            journal.append(try ledger.apply(operation, at: time(Int64(index) + 1)))
        }
        return (ledger, journal)
    }

    /// A journal that touches every operation, for the chain and replay tests.
    static let everyOperation: [LedgerOperation] = [
        .mint(to: alice, amount: micros(50_000_000)),
        .mint(to: bob, amount: micros(20_000_000)),
        .transfer(from: alice, to: carol, amount: micros(5_000_000)),
        .stake(account: bob, amount: micros(15_000_000)),
        .unbond(account: bob, amount: micros(2_000_000), releaseAt: time(5)),
        .withdraw(account: bob),
        .lockEscrow(hold: .order(1), owner: alice, amount: micros(10_000_000)),
        .releaseEscrow(hold: .order(1), to: alice, amount: micros(3_000_000)),
        .lockCollateral(hold: .lease(1), provider: bob, amount: micros(8_000_000)),
        .releaseEscrow(hold: .order(1), to: bob, amount: micros(6_000_000)),
        .refundEscrow(hold: .order(1)),
        .fee(from: bob, amount: micros(600_000), burnBasisPoints: 2_500, treasury: treasury),
        .unlockCollateral(hold: .lease(1)),
        .lockCollateral(hold: .lease(2), provider: bob, amount: micros(1_000_003)),
        .postBond(hold: .dispute(1), account: carol, amount: micros(1_000_001)),
        .forfeitBond(hold: .dispute(1), to: bob),
        .postBond(hold: .dispute(2), account: carol, amount: micros(1_000_000)),
        .slashCollateral(hold: .lease(2), challenger: carol, submitter: alice),
        .returnBond(hold: .dispute(2)),
    ]
}
