import Foundation
import Testing
import TenderClient
import TenderCore

@Suite("Ledger audit")
struct LedgerAuditTests {
    static let controller = KeyPair()
    static let alice = KeyPair().account
    static let bob = KeyPair().account

    /// A small journal, the ledger it leaves, and a head signed by the controller.
    static func fixture() throws -> (entries: [JournalEntry], ledger: Ledger, head: Signed<API.LedgerHead>) {
        var ledger = Ledger()
        var entries: [JournalEntry] = []
        let operations: [LedgerOperation] = [
            .mint(to: alice, amount: try .credits(100)),
            .transfer(from: alice, to: bob, amount: try .credits(30)),
            .stake(account: bob, amount: try .credits(20)),
            .unbond(account: bob, amount: try .credits(5), releaseAt: Timestamp(millis: 9_000)),
        ]
        for (index, operation) in operations.enumerated() {
            entries.append(try ledger.apply(operation, at: Timestamp(millis: Int64(1_000 * (index + 1)))))
        }
        let head = try Signed(API.LedgerHead(sequence: ledger.sequence, hash: ledger.headHash, signedAt: Timestamp(millis: 5_000)), by: controller)
        return (entries, ledger, head)
    }

    @Test("a sound journal, matching supply and a signed head verify")
    func sound() throws {
        let (entries, ledger, head) = try Self.fixture()
        let audit = LedgerAudit.check(head: head, entries: entries, supply: ledger.totals, controller: Self.controller.account)
        #expect(audit.problems == [])
        #expect(audit.isValid)
        #expect(audit.verification.entriesChecked == 4)
        #expect(audit.head?.sequence == 4)
    }

    @Test("a supply that differs from the journal's totals fails")
    func supplyMismatch() throws {
        let (entries, _, head) = try Self.fixture()
        var other = Ledger()
        _ = try other.apply(.mint(to: Self.alice, amount: .credits(101)), at: Timestamp(millis: 1))
        let audit = LedgerAudit.check(head: head, entries: entries, supply: other.totals, controller: nil)
        #expect(!audit.isValid)
        #expect(audit.problems.count == 1)
        #expect(audit.problems.first?.contains("minted: controller 101.000000, journal 100.000000") == true)
    }

    @Test("a head signed by another key, or naming another hash, fails")
    func badHead() throws {
        let (entries, ledger, head) = try Self.fixture()
        let payload = try head.verified()
        let forged = try Signed(payload, by: KeyPair())
        let audit = LedgerAudit.check(head: forged, entries: entries, supply: ledger.totals, controller: Self.controller.account)
        #expect(audit.problems.count == 1)
        #expect(audit.problems.first?.contains("signed by") == true)

        let wrongHash = try Signed(API.LedgerHead(sequence: 4, hash: String(repeating: "a", count: 64), signedAt: payload.signedAt), by: Self.controller)
        let second = LedgerAudit.check(head: wrongHash, entries: entries, supply: ledger.totals, controller: Self.controller.account)
        #expect(second.problems.count == 1)
        #expect(second.problems.first?.contains("names hash aaaa") == true)
    }

    @Test("a tampered signature does not verify")
    func tamperedSignature() throws {
        let (entries, ledger, head) = try Self.fixture()
        var tampered = head
        tampered.payloadJSON = tampered.payloadJSON.replacingOccurrences(of: "\"sequence\":4", with: "\"sequence\":3")
        let audit = LedgerAudit.check(head: tampered, entries: entries, supply: ledger.totals, controller: nil)
        #expect(audit.problems.first?.contains("does not verify") == true)
    }

    @Test("a journal shorter than the head, or with an entry missing, fails")
    func shortOrBrokenJournal() throws {
        let (entries, ledger, head) = try Self.fixture()
        let short = LedgerAudit.check(head: head, entries: Array(entries.dropLast()), supply: nil, controller: nil)
        #expect(short.problems.contains { $0.contains("ends at entry 3, but the signed head is at entry 4") })

        var gapped = entries
        gapped.remove(at: 1)
        let broken = LedgerAudit.check(head: head, entries: gapped, supply: ledger.totals, controller: nil)
        #expect(broken.problems == ["journal: expected entry 2, found entry 3"])
        #expect(broken.verification.entriesChecked == 1)
    }

    @Test("no supply read at a fixed head is reported, not passed")
    func unpinnedSupply() throws {
        let (entries, _, head) = try Self.fixture()
        let audit = LedgerAudit.check(head: head, entries: entries, supply: nil, controller: nil)
        #expect(!audit.isValid)
        #expect(audit.problems.first?.contains("kept changing") == true)
    }
}
