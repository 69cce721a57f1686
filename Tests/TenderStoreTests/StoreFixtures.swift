import Foundation
import TenderCore
import TenderStore

/// Temporary databases, accounts and a small live ledger shared by the store tests.
enum StoreFixtures {
    /// Runs `body` with a fresh database file in a unique temporary folder (nested, so opening
    /// must create folders), and removes the folder afterwards whatever happens.
    static func withTemporaryDatabase<T>(
        _ body: (_ url: URL) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("tender-store-tests-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(folder.appendingPathComponent("nested/tender.sqlite"))
    }

    static let alice = account("a")
    static let bob = account("b")
    static let carol = account("c")
    static let treasury = account("e")

    /// An account id made of one repeated hex digit.
    static func account(_ digit: Character) -> AccountID {
        guard let id = try? AccountID(String(repeating: digit, count: 64)) else {
            preconditionFailure("'\(digit)' is not a hex digit")
        }
        return id
    }

    static func micros(_ value: Int64) -> Amount {
        guard let amount = try? Amount(micros: value) else { preconditionFailure("negative amount \(value)") }
        return amount
    }

    /// Operations that touch escrow, collateral, fees, bonds and slashing.
    static let operations: [LedgerOperation] = [
        .mint(to: alice, amount: micros(50_000_000)),
        .mint(to: bob, amount: micros(20_000_000)),
        .transfer(from: alice, to: carol, amount: micros(5_000_000)),
        .stake(account: bob, amount: micros(15_000_000)),
        .lockEscrow(hold: .order(1), owner: alice, amount: micros(10_000_000)),
        .lockCollateral(hold: .lease(1), provider: bob, amount: micros(8_000_000)),
        .releaseEscrow(hold: .order(1), to: bob, amount: micros(6_000_000)),
        .refundEscrow(hold: .order(1)),
        .fee(from: bob, amount: micros(600_000), burnBasisPoints: 2_500, treasury: treasury),
        .postBond(hold: .dispute(1), account: carol, amount: micros(1_000_001)),
        .slashCollateral(hold: .lease(1), challenger: carol, submitter: alice),
        .returnBond(hold: .dispute(1)),
    ]

    /// The key the fixtures' controller signs its journal with.
    static let controllerKey = KeyPair()

    /// What the controller writes for `change`: its records, the journal's head signed.
    static func records(_ change: MarketChange, _ market: Marketplace) -> MarketRecords {
        var records = MarketRecords(change: change, market: market)
        records.signer = controllerKey
        return records
    }

    /// Applies `operations` to a fresh `Ledger` at times 1000, 2000, ... and returns the ledger
    /// and the entries it produced.
    static func liveLedger() throws -> (Ledger, [JournalEntry]) {
        var ledger = Ledger()
        var entries: [JournalEntry] = []
        for (index, operation) in operations.enumerated() {
            entries.append(try ledger.apply(operation, at: Timestamp(millis: Int64(index + 1) * 1_000)))
        }
        return (ledger, entries)
    }
}
