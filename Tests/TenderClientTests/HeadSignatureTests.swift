import Foundation
import Testing
import TenderClient
import TenderCore

/// The controller signs the last entry of each transaction it commits, not every entry: an entry is
/// vouched for by the next signed entry at or after it (its hash is chained into that one's), or by
/// the signed head a client fetched. What that lets through, and what it does not.
@Suite("Journal signed at each commit's head")
struct HeadSignatureTests {
    typealias A = LedgerAuditTests

    /// `entry` as stored without a signature of its own, or with `signature` in its place.
    static func bare(_ entry: JournalEntry, signature: String? = nil) -> JournalEntry {
        JournalEntry(
            sequence: entry.sequence, time: entry.time, operation: entry.operation, postings: entry.postings,
            previousHash: entry.previousHash, request: entry.request, cause: entry.cause, hash: entry.hash, signature: signature
        )
    }

    /// The fixture's journal with only the entries at `signed` (1-based sequences) keeping a signature.
    static func journal(signedAt signed: Set<UInt64>) throws -> (entries: [JournalEntry], ledger: Ledger, head: Signed<API.LedgerHead>) {
        let (entries, ledger, head) = try A.fixture()
        return (entries.map { signed.contains($0.sequence) ? $0 : bare($0) }, ledger, head)
    }

    /// The fixture's entries, all stored bare except those at `keys`' sequences (1-based), signed
    /// by the key given for each.
    static func journal(signedBy keys: [UInt64: KeyPair]) throws -> [JournalEntry] {
        try A.fixture().entries.map { entry in try keys[entry.sequence].map { try bare(entry).signed(by: $0) } ?? bare(entry) }
    }

    @Test("entries before a signed entry are vouched for by it")
    func vouchedByLaterSignature() throws {
        let (entries, ledger, head) = try Self.journal(signedAt: [4])
        let verification = Ledger.verify(entries, controller: A.controller.account)
        #expect(verification.isValid, "\(verification)")
        #expect(verification.entriesChecked == 4)
        let audit = LedgerAudit.check(head: head, entries: entries, supply: ledger.totals, controller: A.controller.account)
        #expect(audit.problems == [])
    }

    @Test("entries after the last signature fail, and the sound prefix ends at that signature")
    func trailingUnsignedEntries() throws {
        let (entries, _, _) = try Self.journal(signedAt: [2])
        let verification = Ledger.verify(entries, controller: A.controller.account)
        #expect(verification.problem == .unsigned(sequence: 3))
        #expect(verification.entriesChecked == 2)
        #expect(verification.headHash == entries[1].hash)
        #expect(verification.problem?.description == "entry 3 is not signed by the controller's key, and no later entry signed by it follows")
        // Without any signature at all, nothing is vouched for.
        let none = Ledger.verify(try Self.journal(signedAt: []).entries, controller: A.controller.account)
        #expect(none.problem == .unsigned(sequence: 1))
        #expect(none.entriesChecked == 0)
        #expect(none.totals == Ledger().totals)
    }

    @Test("a signed head vouches for the entries up to the one it names, and no further")
    func signedHeadVouches() throws {
        let (entries, ledger, head) = try Self.journal(signedAt: [2])
        #expect(Ledger.verify(entries, controller: A.controller.account, signedHead: entries[3].hash).isValid)
        #expect(Ledger.verify(entries, controller: A.controller.account, signedHead: entries[2].hash).problem == .unsigned(sequence: 4))
        #expect(Ledger.verify(entries, controller: A.controller.account, signedHead: String(repeating: "0", count: 64)).problem == .unsigned(sequence: 3))
        // The audit passes the head the controller signed.
        let audit = LedgerAudit.check(head: head, entries: entries, supply: ledger.totals, controller: A.controller.account)
        #expect(audit.problems == [])
        // A head signed by another key vouches for nothing.
        let foreign = try Signed(try head.verified(), by: KeyPair())
        let forged = LedgerAudit.check(head: foreign, entries: entries, supply: ledger.totals, controller: A.controller.account)
        #expect(forged.problems.contains { $0.contains("entry 3 is not signed by the controller's key") }, "\(forged.problems)")
    }

    @Test("a signed head does not excuse a signature the entry carries that is no trusted key's")
    func headDoesNotCoverJunk() throws {
        let (entries, _, _) = try Self.journal(signedAt: [])
        var forged = entries
        // A signature copied from another entry: present, but not over this entry's hash.
        forged[3] = Self.bare(entries[3], signature: try entries[0].signed(by: A.controller).signature)
        let verification = Ledger.verify(forged, controller: A.controller.account, signedHead: entries[3].hash)
        #expect(verification.problem == .badSignature(sequence: 4))
        #expect(verification.entriesChecked == 0)
    }

    @Test("just after a rotation, the new key's signed head vouches for the entries after the earlier key's last signature, which verifies only if that key is trusted")
    func headAfterEarlierKeysEntry() throws {
        let earlier = KeyPair()
        let journal = try Self.journal(signedBy: [2: earlier])
        // Entries 3 and 4 carry no signature: only the new key's head vouches for them.
        let verification = Ledger.verify(journal, controller: A.controller.account, earlierKeys: [earlier.account], signedHead: journal[3].hash)
        #expect(verification.isValid, "\(verification)")
        #expect(verification.entriesChecked == 4)
        #expect(Ledger.verify(journal, controller: A.controller.account, earlierKeys: [earlier.account]).problem == .unsigned(sequence: 3))
        // The head does not stand in for the earlier key's signature.
        #expect(Ledger.verify(journal, controller: A.controller.account, signedHead: journal[3].hash).problem == .badSignature(sequence: 2))
    }

    @Test("unsigned entries under another key's signature fail at that signature")
    func foreignSignatureCoversNothing() throws {
        let verification = Ledger.verify(try Self.journal(signedBy: [4: KeyPair()]), controller: A.controller.account)
        #expect(verification.problem == .badSignature(sequence: 4))
        #expect(verification.entriesChecked == 0)
    }

    @Test("after a rotation, an earlier key's signature vouches for the stretch before it, the new key's for the rest")
    func rotation() throws {
        let earlier = KeyPair()
        let journal = try Self.journal(signedBy: [2: earlier, 4: A.controller])
        let verification = Ledger.verify(journal, controller: A.controller.account, earlierKeys: [earlier.account])
        #expect(verification.isValid, "\(verification)")
        #expect(Ledger.verify(journal, controller: A.controller.account).problem == .badSignature(sequence: 2))
        // No earlier key may sign after the new one has.
        let backwards = try Self.journal(signedBy: [2: earlier, 3: A.controller, 4: earlier])
        #expect(Ledger.verify(backwards, controller: A.controller.account, earlierKeys: [earlier.account]).problem == .badSignature(sequence: 4))
    }

    @Test("a request's rules still hold across the entries one signature vouches for")
    func spanRulesUnderOneSignature() throws {
        let (entries, _, _) = try Self.journal(signedAt: [])
        // The transfer's request used again for a second transfer, both under one signature.
        let honest = try #require(entries[1].request)
        let (journal, _) = try A.appended(.transfer(from: A.alice, to: A.bob, amount: try .credits(30)), to: entries, request: honest)
        let verification = Ledger.verify(journal, controller: A.controller.account)
        guard case .unauthorized(let sequence, let reason) = verification.problem else {
            Issue.record("expected the replayed request to be caught, got \(verification)")
            return
        }
        #expect(sequence == 5)
        #expect(reason.contains("a request replayed"))
        #expect(verification.entriesChecked == 0)
    }

    @Test("an entry edited after it was sealed is reported as the bad hash it is, before its request is judged")
    func editedEntryIsABadHash() throws {
        let (entries, _, _) = try Self.journal(signedAt: [4])
        // The transfer's request stripped from its entry, the hash left as sealed.
        let entry = entries[1]
        let stripped = JournalEntry(
            sequence: entry.sequence, time: entry.time, operation: entry.operation, postings: entry.postings,
            previousHash: entry.previousHash, request: nil, cause: entry.cause, hash: entry.hash
        )
        var journal = entries
        journal[1] = stripped
        let verification = Ledger.verify(journal, controller: A.controller.account)
        #expect(verification.problem == .badHash(sequence: entry.sequence, expected: stripped.computedHash(), found: entry.hash))
    }
}
