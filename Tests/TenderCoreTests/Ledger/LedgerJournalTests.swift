import Foundation
import Testing
import TenderCore

@Suite("Ledger journal: hash chain, replay, verification")
struct LedgerJournalTests {
    typealias F = LedgerFixtures

    /// A copy of `entry` with some fields replaced; `reseal` recomputes its hash as a forger would.
    static func altered(
        _ entry: JournalEntry, time: Timestamp? = nil, operation: LedgerOperation? = nil, postings: [Posting]? = nil,
        previousHash: String? = nil, hash: String? = nil, reseal: Bool = false
    ) throws -> JournalEntry {
        let draft = JournalEntry(
            sequence: entry.sequence, time: time ?? entry.time, operation: operation ?? entry.operation,
            postings: postings ?? entry.postings, previousHash: previousHash ?? entry.previousHash,
            hash: hash ?? entry.hash
        )
        guard reseal else { return draft }
        return JournalEntry(
            sequence: draft.sequence, time: draft.time, operation: draft.operation,
            postings: draft.postings, previousHash: draft.previousHash, hash: draft.computedHash()
        )
    }

    /// The hashed body as the design writes it, built independently of the ledger's own code.
    struct Body: Encodable {
        let sequence: UInt64
        let time: Timestamp
        let operation: LedgerOperation
        let postings: [Posting]
        let previousHash: String
    }

    // MARK: - Chain

    @Test("each entry links to the one before and hashes previousHash, a newline and its canonical JSON")
    func chain() throws {
        let (ledger, journal) = try F.run(F.everyOperation)
        var previous = JournalEntry.genesisHash
        for (index, entry) in journal.enumerated() {
            #expect(entry.sequence == UInt64(index + 1))
            #expect(entry.previousHash == previous)
            let body = Body(
                sequence: entry.sequence, time: entry.time, operation: entry.operation,
                postings: entry.postings, previousHash: entry.previousHash
            )
            var bytes = Data((previous + "\n").utf8)
            bytes.append(try CanonicalJSON.encode(body))
            #expect(entry.hash == Hashing.sha256Hex(bytes))
            #expect(Hashing.isSHA256Hex(entry.hash))
            #expect(entry.isBalanced)
            previous = entry.hash
        }
        #expect(ledger.headHash == previous)
        #expect(Set(journal.map(\.hash)).count == journal.count)
    }

    @Test("an operation is written as a flat object with its kind")
    func operationWireForm() throws {
        let json = try CanonicalJSON.encode(LedgerOperation.releaseEscrow(hold: .order(12), to: F.bob, amount: F.micros(5)))
        let bob = F.bob.hex
        #expect(String(decoding: json, as: UTF8.self) == #"{"amount":5,"hold":"order:12","kind":"releaseEscrow","to":"\#(bob)"}"#)
        let posting = try CanonicalJSON.encode(F.global(.burned, 7))
        #expect(String(decoding: posting, as: UTF8.self) == #"{"bucket":"burned","delta":7}"#)
    }

    @Test("every operation and entry survives a round trip through canonical JSON")
    func codableRoundTrip() throws {
        let (_, journal) = try F.run(F.everyOperation)
        let decoded = try journal.map { try CanonicalJSON.decode(JournalEntry.self, from: CanonicalJSON.encode($0)) }
        #expect(decoded == journal)
        #expect(Set(journal.map(\.operation.name)).count == 15)
        #expect(Ledger.verify(decoded).isValid)
    }

    @Test("an unknown operation kind does not decode")
    func unknownKind() {
        let json = Data(#"{"kind":"conjure","amount":5}"#.utf8)
        #expect(throws: DecodingError.self) { _ = try CanonicalJSON.decode(LedgerOperation.self, from: json) }
    }

    // MARK: - Replay and verify

    @Test("replaying the journal rebuilds the same ledger")
    func replay() throws {
        let (ledger, journal) = try F.run(F.everyOperation)
        #expect(try Ledger.replay(journal) == ledger)
        let report = Ledger.verify(journal)
        #expect(report.isValid)
        #expect(report.entriesChecked == journal.count)
        #expect(report.headHash == ledger.headHash)
        #expect(report.totals == ledger.totals)
        #expect(report.description.hasPrefix("OK: 19 entries"))
    }

    @Test("an empty journal verifies to the genesis head")
    func emptyJournal() throws {
        let report = Ledger.verify([])
        #expect(report.isValid && report.entriesChecked == 0)
        #expect(report.headHash == JournalEntry.genesisHash)
        #expect(report.totals == .zero)
        #expect(try Ledger.replay([]) == Ledger())
    }

    @Test("a changed amount with the old hash is a bad hash at that entry")
    func changedAmount() throws {
        var (_, journal) = try F.run(F.everyOperation)
        journal[2] = try Self.altered(journal[2], operation: .transfer(from: F.alice, to: F.carol, amount: F.micros(5_000_001)))
        let report = Ledger.verify(journal)
        guard case .badHash(let sequence, _, let found) = report.problem else {
            Issue.record("expected a bad hash, got \(String(describing: report.problem))")
            return
        }
        #expect(sequence == 3 && found == journal[2].hash)
        #expect(report.entriesChecked == 2)
        #expect(report.headHash == journal[1].hash)
        #expect(report.totals.minted == F.micros(70_000_000))
        #expect(throws: LedgerError.invalidJournal(report.problem!)) { _ = try Ledger.replay(journal) }
    }

    @Test("a changed and re-hashed entry breaks the next link")
    func reseal() throws {
        var (_, journal) = try F.run(F.everyOperation)
        // Backdating by a millisecond replays fine on its own; only the chain gives it away.
        journal[2] = try Self.altered(journal[2], time: F.time(2), reseal: true)
        let problem = Ledger.verify(journal).problem
        #expect(problem == .brokenLink(sequence: 4, expected: journal[2].hash, found: journal[3].previousHash))
    }

    @Test("a changed and re-hashed entry whose postings no longer follow from its operation is a mismatch")
    func resealedPostings() throws {
        var (_, journal) = try F.run(F.everyOperation)
        journal[2] = try Self.altered(
            journal[2], postings: [F.holder(F.alice, .available, -1), F.holder(F.carol, .available, 1)], reseal: true
        )
        guard case .postingsMismatch(let sequence, _, _) = Ledger.verify(journal).problem else {
            Issue.record("expected a postings mismatch")
            return
        }
        #expect(sequence == 3)
    }

    @Test("a re-hashed last entry whose postings differ from its operation is a postings mismatch")
    func postingsMismatch() throws {
        var (_, journal) = try F.run(F.everyOperation)
        let last = journal.count - 1
        journal[last] = try Self.altered(
            journal[last], postings: [F.holder(F.carol, .bonded, -1_000_000), F.holder(F.dave, .available, 1_000_000)],
            reseal: true
        )
        guard case .postingsMismatch(let sequence, let recorded, let replayed) = Ledger.verify(journal).problem else {
            Issue.record("expected a postings mismatch")
            return
        }
        #expect(sequence == UInt64(journal.count))
        #expect(recorded != replayed)
    }

    @Test("a re-hashed last entry that spends money nobody had is rejected on replay")
    func impossibleOperation() throws {
        var (_, journal) = try F.run(F.everyOperation)
        let last = journal.count - 1
        let operation = LedgerOperation.transfer(from: F.dave, to: F.carol, amount: F.micros(1))
        journal[last] = try Self.altered(
            journal[last], operation: operation,
            postings: [F.holder(F.dave, .available, -1), F.holder(F.carol, .available, 1)], reseal: true
        )
        let problem = Ledger.verify(journal).problem
        #expect(problem == .operationRejected(
            sequence: UInt64(journal.count),
            reason: .insufficientFunds(account: F.dave, bucket: .available, needed: F.micros(1), had: .zero)
        ))
    }

    @Test("an unbalanced entry is reported as unbalanced")
    func unbalanced() throws {
        var (_, journal) = try F.run(F.everyOperation)
        journal[0] = try Self.altered(journal[0], postings: [F.holder(F.alice, .available, 50_000_000)], reseal: true)
        #expect(Ledger.verify(journal).problem == .unbalanced(sequence: 1))
        journal[0] = try Self.altered(journal[0], postings: [F.global(.available, 5), F.global(.minted, 5)], reseal: true)
        #expect(Ledger.verify(journal).problem == .unbalanced(sequence: 1))
    }

    @Test("a missing, repeated or reordered entry is out of sequence")
    func sequenceGaps() throws {
        let (_, journal) = try F.run(F.everyOperation)
        var missing = journal
        missing.remove(at: 5)
        #expect(Ledger.verify(missing).problem == .outOfSequence(expected: 6, found: 7))
        var repeated = journal
        repeated.insert(journal[5], at: 6)
        #expect(Ledger.verify(repeated).problem == .outOfSequence(expected: 7, found: 6))
        var swapped = journal
        swapped.swapAt(3, 4)
        #expect(Ledger.verify(swapped).problem == .outOfSequence(expected: 4, found: 5))
    }

    @Test("a flipped hash byte or previous-hash byte is caught")
    func flippedHashBytes() throws {
        var (_, journal) = try F.run(F.everyOperation)
        let original = journal[7]
        let flippedHash = String(original.hash.dropLast()) + (original.hash.hasSuffix("0") ? "1" : "0")
        journal[7] = try Self.altered(original, hash: flippedHash)
        #expect(Ledger.verify(journal).problem == .badHash(sequence: 8, expected: original.hash, found: flippedHash))
        journal[7] = try Self.altered(original, previousHash: flippedHash)
        #expect(Ledger.verify(journal).problem == .brokenLink(sequence: 8, expected: original.previousHash, found: flippedHash))
    }

    @Test("appending a verified entry continues the ledger; a bad one changes nothing")
    func appendVerified() throws {
        let (_, journal) = try F.run(F.everyOperation)
        var ledger = try Ledger.replay(journal.dropLast())
        let before = ledger
        let forged = try Self.altered(journal[journal.count - 1], operation: .returnBond(hold: .dispute(1)))
        #expect(throws: LedgerError.self) { try ledger.replay(forged) }
        #expect(ledger == before)
        try ledger.replay(journal[journal.count - 1])
        #expect(ledger == (try Ledger.replay(journal)))
    }
}
