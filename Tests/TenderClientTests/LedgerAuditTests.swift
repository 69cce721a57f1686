import Foundation
import Testing
import TenderClient
import TenderCore

@Suite("Ledger audit")
struct LedgerAuditTests {
    static let controller = KeyPair()
    static let aliceKey = KeyPair()
    static let bobKey = KeyPair()
    static var alice: AccountID { aliceKey.account }
    static var bob: AccountID { bobKey.account }

    /// A request as a client signs it, as the controller keeps it.
    static func request(_ key: KeyPair, _ target: String, _ body: some Encodable, nonce: UInt64) throws -> RequestEvidence {
        let data = try JSONEncoder().encode(body)
        let signature = try RequestSignature.sign(method: "POST", pathWithQuery: target, nonce: nonce, body: data, with: key)
        return RequestEvidence(account: key.account, nonce: nonce, method: "POST", target: target, body: data, signature: signature.signature)
    }

    /// A small journal made the way the controller makes one (each entry on its signed request,
    /// signed by the controller), the ledger it leaves, and a head signed by the controller.
    static func fixture() throws -> (entries: [JournalEntry], ledger: Ledger, head: Signed<API.LedgerHead>) {
        var market = Marketplace(policy: MarketPolicy(treasury: controller.account, auditPool: controller.account))
        let steps: [(RequestEvidence, @Sendable (inout Marketplace, Timestamp) throws(MarketplaceError) -> MarketChange)] = [
            (try request(aliceKey, "/v1/faucet", API.FaucetRequest(account: alice, amount: .credits(100)), nonce: 1),
             { market, now throws(MarketplaceError) in try market.mint(try! .credits(100), to: alice, now: now) }),
            (try request(aliceKey, "/v1/transfers", API.TransferRequest(to: bob, amount: .credits(30)), nonce: 2),
             { market, now throws(MarketplaceError) in try market.transfer(try! .credits(30), from: alice, to: bob, now: now) }),
            (try request(bobKey, "/v1/providers/\(bob.hex)/stake", API.AmountRequest(amount: .credits(20)), nonce: 1),
             { market, now throws(MarketplaceError) in try market.stake(try! .credits(20), account: bob, now: now) }),
            (try request(bobKey, "/v1/providers/\(bob.hex)/unstake", API.AmountRequest(amount: .credits(5)), nonce: 2),
             { market, now throws(MarketplaceError) in try market.unstake(try! .credits(5), account: bob, now: now) }),
        ]
        var entries: [JournalEntry] = []
        for (index, (request, command)) in steps.enumerated() {
            let now = Timestamp(millis: Int64(1_000 * (index + 1)))
            let change = try market.onBehalf(of: request) { market throws(MarketplaceError) in try command(&market, now) }
            entries += try change.journal.map { try $0.signed(by: controller) }
        }
        let ledger = market.ledger
        let head = try Signed(API.LedgerHead(sequence: ledger.sequence, hash: ledger.headHash, signedAt: Timestamp(millis: 5_000)), by: controller)
        return (entries, ledger, head)
    }

    /// The attacker's way of adding an entry: apply it to the replayed ledger, so the hash chain
    /// is right, and sign it with whatever key it holds.
    static func appended(
        _ operation: LedgerOperation, to entries: [JournalEntry], request: RequestEvidence? = nil, cause: EntryCause? = nil,
        signer: KeyPair = controller
    ) throws -> (entries: [JournalEntry], head: Signed<API.LedgerHead>) {
        var ledger = try Ledger.replay(entries)
        let applied = try ledger.apply(operation, at: Timestamp(millis: 9_000))
        let unhashed = JournalEntry(
            sequence: applied.sequence, time: applied.time, operation: applied.operation, postings: applied.postings,
            previousHash: applied.previousHash, request: request, cause: cause, hash: ""
        )
        let hashed = JournalEntry(
            sequence: applied.sequence, time: applied.time, operation: applied.operation, postings: applied.postings,
            previousHash: applied.previousHash, request: request, cause: cause, hash: unhashed.computedHash()
        )
        let signed = try hashed.signed(by: signer)
        let head = try Signed(API.LedgerHead(sequence: signed.sequence, hash: signed.hash, signedAt: Timestamp(millis: 9_000)), by: signer)
        return (entries + [signed], head)
    }

    @Test("a transfer appended with a correct hash chain but no signed request from the payer is caught")
    func forgedTransfer() throws {
        let (entries, _, _) = try Self.fixture()
        let (forged, head) = try Self.appended(.transfer(from: Self.bob, to: Self.alice, amount: try .credits(10)), to: entries)
        let audit = LedgerAudit.check(head: head, entries: forged, supply: nil, controller: Self.controller.account)
        #expect(audit.problems.contains { $0.contains("entry 5 is not what anyone asked for") && $0.contains("without a signed request") })
    }

    @Test("a transfer on the payer's real request but to another account or amount, a request replayed, or another's request, is caught")
    func misusedRequests() throws {
        let (entries, _, _) = try Self.fixture()
        let honest = try #require(entries[1].request)
        let redirected = try Self.appended(.transfer(from: Self.alice, to: Self.controller.account, amount: try .credits(30)), to: entries, request: honest)
        let first = LedgerAudit.check(head: redirected.head, entries: redirected.entries, supply: nil, controller: Self.controller.account)
        #expect(first.problems.contains { $0.contains("the request asked to send 30.000000 to \(Self.bob)") })

        let replayed = try Self.appended(.transfer(from: Self.alice, to: Self.bob, amount: try .credits(30)), to: entries, request: honest)
        let second = LedgerAudit.check(head: replayed.head, entries: replayed.entries, supply: nil, controller: Self.controller.account)
        #expect(second.problems.contains { $0.contains("a request replayed") })

        let bobs = try Self.request(Self.bobKey, "/v1/transfers", API.TransferRequest(to: Self.bob, amount: .credits(1)), nonce: 9)
        let stolen = try Self.appended(.transfer(from: Self.alice, to: Self.bob, amount: try .credits(1)), to: entries, request: bobs)
        let third = LedgerAudit.check(head: stolen.head, entries: stolen.entries, supply: nil, controller: Self.controller.account)
        #expect(third.problems.contains { $0.contains("takes money from \(Self.alice) on a request signed by \(Self.bob)") })
    }

    @Test("a protocol fee that takes from a balance without a payment before it is caught")
    func forgedFee() throws {
        let (entries, _, _) = try Self.fixture()
        let fee = LedgerOperation.fee(from: Self.bob, amount: try .credits(5), burnBasisPoints: 0, treasury: Self.controller.account)
        // Named after a lease, as a settlement's fee would be, but with no payment before it.
        let (forged, head) = try Self.appended(fee, to: entries, cause: .lease(1))
        let audit = LedgerAudit.check(head: head, entries: forged, supply: nil, controller: Self.controller.account)
        #expect(audit.problems.contains { $0.contains("does not follow a payment") }, "\(audit.problems)")
    }

    @Test("an entry signed by another key than the controller's is caught, even with a head that key signed")
    func foreignKey() throws {
        let (entries, _, _) = try Self.fixture()
        let mallory = KeyPair()
        let request = try Self.request(Self.aliceKey, "/v1/transfers", API.TransferRequest(to: Self.bob, amount: .credits(1)), nonce: 5)
        let (forged, head) = try Self.appended(.transfer(from: Self.alice, to: Self.bob, amount: try .credits(1)), to: entries, request: request, signer: mallory)
        let audit = LedgerAudit.check(head: head, entries: forged, supply: nil, controller: Self.controller.account)
        #expect(audit.problems.contains { $0.contains("entry 5 carries a signature that is not the controller's key's") })
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
