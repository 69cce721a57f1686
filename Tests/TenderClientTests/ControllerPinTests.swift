import Foundation
import Testing
import TenderClient
import TenderCore

@Suite("Controller pin decisions")
struct ControllerPinTests {
    static let controller = "http://127.0.0.1:8080"
    static let key = KeyPair().account
    static let otherKey = KeyPair().account
    static let pinnedAt = Timestamp(millis: 1_000)
    static let now = Timestamp(millis: 9_000)

    /// The hashes of a journal of `count` entries; `rewrittenFrom` gives entries from there on other hashes.
    static func journal(_ count: Int, rewrittenFrom: Int? = nil) -> [String] {
        (1...max(1, count)).prefix(count).map { sequence in
            let rewritten = rewrittenFrom.map { sequence >= $0 } ?? false
            return Hashing.sha256Hex("\(rewritten ? "rewritten" : "entry") \(sequence)")
        }
    }

    /// What a verification of `journal` saw, signed by `account`; `verified: false` as for a
    /// ledger with problems of its own.
    static func observation(_ journal: [String], account: AccountID = ControllerPinTests.key, verified: Bool = true) -> ControllerPin.Observation {
        let head = ControllerPin.Head(sequence: UInt64(journal.count), hash: journal.last ?? JournalEntry.genesisHash)
        return ControllerPin.Observation(controller: controller, account: account, head: head, journal: verified ? journal : nil, at: now)
    }

    /// The pin left by a verification of the first five entries of `journal(5)`.
    static let pinned = ControllerPin(
        controller: controller, account: key, head: .init(sequence: 5, hash: journal(5)[4]), pinnedAt: pinnedAt, verifiedAt: pinnedAt
    )

    @Test("first use pins the key and the head it verified")
    func firstUse() {
        let outcome = ControllerPin.judge(Self.observation(Self.journal(3)), pinned: nil, acceptNewKey: false)
        let expected = ControllerPin(
            controller: Self.controller, account: Self.key, head: .init(sequence: 3, hash: Self.journal(3)[2]),
            pinnedAt: Self.now, verifiedAt: Self.now
        )
        #expect(outcome == .firstUse(expected))
        #expect(outcome.pinToSave == expected)
        #expect(outcome.problems.isEmpty)
    }

    @Test("first use of an empty ledger pins the genesis head")
    func firstUseEmpty() {
        let outcome = ControllerPin.judge(Self.observation([]), pinned: nil, acceptNewKey: false)
        #expect(outcome.pinToSave?.head == .init(sequence: 0, hash: JournalEntry.genesisHash))
        // A later journal extends the empty one whatever its first entry.
        let later = ControllerPin.judge(Self.observation(Self.journal(2)), pinned: outcome.pinToSave, acceptNewKey: false)
        #expect(later.pinToSave?.head.sequence == 2)
    }

    @Test("the same key with an advancing head moves the remembered head and keeps the pin's date",
          arguments: [5, 6, 40])
    func advancing(_ length: Int) {
        let outcome = ControllerPin.judge(Self.observation(Self.journal(length)), pinned: Self.pinned, acceptNewKey: false)
        var expected = Self.pinned
        expected.head = .init(sequence: UInt64(length), hash: Self.journal(length)[length - 1])
        expected.verifiedAt = Self.now
        #expect(outcome == .confirmed(expected, previous: Self.pinned.head))
    }

    @Test("a changed key is refused, naming both keys, and nothing is remembered")
    func changedKey() {
        let outcome = ControllerPin.judge(Self.observation(Self.journal(6), account: Self.otherKey), pinned: Self.pinned, acceptNewKey: false)
        #expect(outcome == .refused([.keyChanged(pinned: Self.key, observed: Self.otherKey)]))
        #expect(outcome.pinToSave == nil)
        let text = outcome.problems.map(\.description).joined()
        #expect(text.contains(Self.key.hex) && text.contains(Self.otherKey.hex))
    }

    @Test("a head behind the remembered one is a rollback", arguments: [0, 1, 4])
    func rollback(_ length: Int) {
        let observation = Self.observation(Self.journal(length))
        let outcome = ControllerPin.judge(observation, pinned: Self.pinned, acceptNewKey: false)
        #expect(outcome == .refused([.rollback(remembered: Self.pinned.head, observed: observation.head)]))
    }

    @Test("a journal whose remembered entry has another hash is a fork, at the head or before it", arguments: [5, 7])
    func fork(_ length: Int) {
        let journal = Self.journal(length, rewrittenFrom: 4)
        let outcome = ControllerPin.judge(Self.observation(journal), pinned: Self.pinned, acceptNewKey: false)
        #expect(outcome == .refused([.fork(remembered: Self.pinned.head, found: journal[4])]))
    }

    @Test("the attack: a new key over a shortened journal reports both the key and the rollback")
    func changedKeyAndRollback() {
        let observation = Self.observation(Self.journal(3), account: Self.otherKey)
        let outcome = ControllerPin.judge(observation, pinned: Self.pinned, acceptNewKey: false)
        #expect(outcome == .refused([
            .keyChanged(pinned: Self.key, observed: Self.otherKey),
            .rollback(remembered: Self.pinned.head, observed: observation.head),
        ]))
    }

    @Test("--accept-new-key re-pins a new key whose ledger extends the remembered head")
    func acceptNewKey() {
        let outcome = ControllerPin.judge(Self.observation(Self.journal(7), account: Self.otherKey), pinned: Self.pinned, acceptNewKey: true)
        var expected = ControllerPin(
            controller: Self.controller, account: Self.otherKey, head: .init(sequence: 7, hash: Self.journal(7)[6]),
            pinnedAt: Self.now, verifiedAt: Self.now
        )
        // The old key is remembered: it signed the entries before the rotation.
        expected.formerAccounts = [Self.key]
        #expect(outcome == .rotated(expected, previousKey: Self.key))
        #expect(outcome.pinToSave?.trustedAccounts == [Self.otherKey, Self.key])
    }

    @Test("--accept-new-key excuses the key only: a rollback or a fork is still refused")
    func acceptNewKeyExcusesNothingElse() {
        let short = Self.observation(Self.journal(3), account: Self.otherKey)
        #expect(ControllerPin.judge(short, pinned: Self.pinned, acceptNewKey: true)
            == .refused([.rollback(remembered: Self.pinned.head, observed: short.head)]))
        let rewritten = Self.journal(6, rewrittenFrom: 2)
        #expect(ControllerPin.judge(Self.observation(rewritten, account: Self.otherKey), pinned: Self.pinned, acceptNewKey: true)
            == .refused([.fork(remembered: Self.pinned.head, found: rewritten[4])]))
    }

    @Test("--accept-new-key with an unchanged key is an ordinary confirmation")
    func acceptNewKeyUnchanged() {
        let outcome = ControllerPin.judge(Self.observation(Self.journal(6)), pinned: Self.pinned, acceptNewKey: true)
        guard case .confirmed(let pin, _) = outcome else {
            Issue.record("expected a confirmation, got \(outcome)")
            return
        }
        #expect(pin.account == Self.key)
        #expect(pin.pinnedAt == Self.pinnedAt)
    }

    @Test("a ledger that did not verify is never remembered, but still contradicts the pin by what its signed head says")
    func unverifiedLedger() {
        #expect(ControllerPin.judge(Self.observation(Self.journal(3), verified: false), pinned: nil, acceptNewKey: false) == .unverified)
        #expect(ControllerPin.judge(Self.observation(Self.journal(8), verified: false), pinned: Self.pinned, acceptNewKey: false) == .unverified)
        let short = Self.observation(Self.journal(3), verified: false)
        #expect(ControllerPin.judge(short, pinned: Self.pinned, acceptNewKey: false)
            == .refused([.rollback(remembered: Self.pinned.head, observed: short.head)]))
        // At the remembered sequence the signed head alone names the entry's hash.
        let sameSequence = Self.observation(Self.journal(5, rewrittenFrom: 5), verified: false)
        #expect(ControllerPin.judge(sameSequence, pinned: Self.pinned, acceptNewKey: false)
            == .refused([.fork(remembered: Self.pinned.head, found: sameSequence.head.hash)]))
        #expect(ControllerPin.judge(Self.observation(Self.journal(6), account: Self.otherKey, verified: false), pinned: Self.pinned, acceptNewKey: false)
            == .refused([.keyChanged(pinned: Self.key, observed: Self.otherKey)]))
    }

    @Test("an audit becomes an observation only when its head's signature verifies")
    func observationFromAudit() throws {
        let (entries, ledger, head) = try LedgerAuditTests.fixture()
        let audit = LedgerAudit.check(head: head, entries: entries, supply: ledger.totals, controller: LedgerAuditTests.controller.account)
        let observation = try #require(ControllerPin.Observation(audit: audit, controller: Self.controller, at: Self.now))
        #expect(observation.account == LedgerAuditTests.controller.account)
        #expect(observation.head == .init(sequence: 4, hash: ledger.headHash))
        #expect(observation.journal == entries.map(\.hash))

        let unsure = LedgerAudit.check(head: head, entries: entries, supply: nil, controller: nil)
        #expect(try #require(ControllerPin.Observation(audit: unsure, controller: Self.controller, at: Self.now)).journal == nil)

        var tampered = head
        tampered.payloadJSON = tampered.payloadJSON.replacingOccurrences(of: "\"sequence\":4", with: "\"sequence\":3")
        let forged = LedgerAudit.check(head: tampered, entries: entries, supply: ledger.totals, controller: nil)
        #expect(ControllerPin.Observation(audit: forged, controller: Self.controller, at: Self.now) == nil)
    }

    @Test("one controller's URL spellings share one identity", arguments: [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("HTTP://LocalHost:8080//", "http://localhost:8080"),
        ("http://example.com", "http://example.com:80"),
        ("https://example.com/tender/", "https://example.com:443/tender"),
    ])
    func identity(_ text: String, _ expected: String) throws {
        #expect(ControllerPin.identity(of: try #require(URL(string: text))) == expected)
    }
}
