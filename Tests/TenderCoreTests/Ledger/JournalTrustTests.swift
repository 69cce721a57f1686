import Testing
import TenderCore

@Suite("Which signature vouches for a journal a controller loads")
struct JournalTrustTests {
    typealias F = LedgerFixtures
    let key = KeyPair(), other = KeyPair()

    /// Two entries: the head the controller started on, and one appended after it.
    func entries() throws -> (started: JournalEntry, next: JournalEntry) {
        var ledger = Ledger()
        let started = try ledger.apply(.mint(to: F.alice, amount: F.micros(10)), at: F.time(1))
        let next = try ledger.apply(.mint(to: F.bob, amount: F.micros(5)), at: F.time(2))
        return (started, next)
    }

    @Test("at start-up any signature is taken: the operator vouches for the journal, as in a key rotation")
    func startUpTakesAny() throws {
        let (started, next) = try entries()
        let trust = JournalTrust.startingUp(key: key.account)
        #expect(trust.vouches(for: try started.signed(by: other)))
        #expect(trust.vouches(for: try next.signed(by: key)))
    }

    @Test("later, the head the controller started on is taken whoever signed it; what follows it must carry the key's signature")
    func laterLoadsNeedTheKey() throws {
        let (started, next) = try entries()
        let trust = JournalTrust.after(startingOn: JournalTrust.Head(sequence: started.sequence, hash: started.hash), key: key.account)
        #expect(trust.vouches(for: try started.signed(by: other)))
        #expect(trust.vouches(for: try next.signed(by: key)))
        #expect(!trust.vouches(for: try next.signed(by: other)))
        // A signature that is not one at all, and an entry edited after it was signed.
        let junk = JournalEntry(
            sequence: next.sequence, time: next.time, operation: next.operation, postings: next.postings,
            previousHash: next.previousHash, hash: next.hash, signature: "bm90IGEgc2lnbmF0dXJl"
        )
        #expect(!trust.vouches(for: junk))
        let signed = try next.signed(by: key)
        let edited = JournalEntry(
            sequence: signed.sequence, time: signed.time, operation: signed.operation, postings: signed.postings,
            previousHash: signed.previousHash, hash: started.hash.replacingOccurrences(of: "0", with: "1"), signature: signed.signature
        )
        #expect(!trust.vouches(for: edited))
    }

    @Test("the floor rises with each head seen durable, never falls, and stays unset for a start-up load")
    func floorRises() throws {
        let (started, next) = try entries()
        let first = JournalTrust.Head(sequence: started.sequence, hash: started.hash)
        let second = JournalTrust.Head(sequence: next.sequence, hash: next.hash)
        var trust = JournalTrust.after(startingOn: first, key: key.account)
        #expect(trust.floor == first)
        trust.saw(second)
        #expect(trust.floor == second)
        trust.saw(first)
        #expect(trust.floor == second, "a lower head does not lower the floor")
        var startUp = JournalTrust.startingUp(key: key.account)
        startUp.saw(second)
        #expect(startUp.floor == nil)
    }
}
