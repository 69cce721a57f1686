import Foundation
import Testing
import TenderCore

/// A tiny deterministic generator (Steele, Lea and Flood's SplitMix64), so the random walk is the
/// same on every run and machine, and a failure can be reproduced from the seed.
private struct LedgerSplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Uniform in `range`.
    mutating func int64(in range: ClosedRange<Int64>) -> Int64 {
        range.lowerBound + Int64(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func percent(_ chance: Int) -> Bool { below(100) < chance }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Random operations over six accounts and a growing pool of holds, biased so that roughly a third
/// fail for every reason the ledger has.
private struct LedgerOperationGenerator {
    var random: LedgerSplitMix64
    let accounts = [LedgerFixtures.alice, LedgerFixtures.bob, LedgerFixtures.carol,
                    LedgerFixtures.dave, LedgerFixtures.treasury, LedgerFixtures.auditPool]
    var usedHolds: [HoldID] = []
    var nextHold = 0

    /// Usually something the bucket can afford, sometimes zero, sometimes far too much.
    mutating func amount(upTo available: Amount) -> Amount {
        let roll = random.below(100)
        let micros: Int64
        if roll < 4 {
            micros = 0
        } else if roll < 8 {
            micros = random.int64(in: 1_000_000_000...2_000_000_000)
        } else if roll < 70, available.micros > 0 {
            micros = random.int64(in: 1...available.micros)
        } else {
            micros = random.int64(in: 1...3_000_000)
        }
        return LedgerFixtures.micros(micros)
    }

    mutating func account() -> AccountID { random.pick(accounts) }

    /// A fresh id most of the time; otherwise a used one (duplicate) or an unusable one.
    mutating func newHold(_ kind: String) -> HoldID {
        let roll = random.below(100)
        if roll < 8, !usedHolds.isEmpty { return random.pick(usedHolds) }
        if roll < 10 { return random.pick(["", "has space", "tab\there"]) }
        nextHold += 1
        let id = HoldID(kind: kind, number: nextHold)
        usedHolds.append(id)
        return id
    }

    /// A used id most of the time (of any kind, open or closed), otherwise one never opened.
    mutating func existingHold() -> HoldID {
        if random.percent(8) || usedHolds.isEmpty { return HoldID(kind: "ghost", number: random.below(1_000)) }
        // Favor recent holds: they are more likely still open.
        let recent = usedHolds.suffix(12)
        return random.percent(75) ? random.pick(Array(recent)) : random.pick(usedHolds)
    }

    mutating func operation(for ledger: Ledger, at now: Timestamp) -> LedgerOperation {
        let who = account()
        let balances = ledger.balances(of: who)
        switch random.below(16) {
        case 0:
            let huge = ledger.minted.micros > 0 && random.percent(3)
            return .mint(to: who, amount: huge ? LedgerFixtures.micros(.max) : amount(upTo: LedgerFixtures.micros(10_000_000)))
        case 1: return .transfer(from: who, to: account(), amount: amount(upTo: balances.available))
        case 2:
            let rate = random.percent(5) ? random.pick([-1, 10_001, Int64.min]) : random.int64(in: 0...10_000)
            return .fee(from: who, amount: amount(upTo: balances.available), burnBasisPoints: rate, treasury: account())
        case 3: return .stake(account: who, amount: amount(upTo: balances.available))
        case 4:
            let releaseAt = Timestamp(millis: now.millis + random.int64(in: 0...400))
            return .unbond(account: who, amount: amount(upTo: balances.staked), releaseAt: releaseAt)
        case 5: return .withdraw(account: who)
        case 6: return .lockEscrow(hold: newHold("order"), owner: who, amount: amount(upTo: balances.available))
        case 7:
            let id = existingHold()
            let remaining = ledger.hold(id)?.remaining ?? .zero
            return .releaseEscrow(hold: id, to: account(), amount: amount(upTo: remaining))
        case 8: return .refundEscrow(hold: existingHold())
        case 9: return .lockCollateral(hold: newHold("lease"), provider: who, amount: amount(upTo: balances.staked))
        case 10: return .unlockCollateral(hold: existingHold())
        case 11: return .slashCollateral(hold: existingHold(), challenger: account(), submitter: account())
        case 12: return .postBond(hold: newHold("dispute"), account: who, amount: amount(upTo: balances.available))
        case 13: return .returnBond(hold: existingHold())
        case 14:
            let id = existingHold()
            let remaining = ledger.hold(id)?.remaining ?? .zero
            return .penalizeCollateral(hold: id, amount: amount(upTo: remaining), to: account())
        default: return .forfeitBond(hold: existingHold(), to: account())
        }
    }
}

@Suite("Ledger properties over random operations")
struct LedgerPropertyTests {
    static let operationCount = 10_000

    /// The error's case name, to count which refusals the walk reached.
    static func caseName(_ error: LedgerError) -> String {
        switch error {
        case .zeroAmount: "zeroAmount"
        case .invalidHoldID: "invalidHoldID"
        case .unknownHold: "unknownHold"
        case .duplicateHold: "duplicateHold"
        case .holdClosed: "holdClosed"
        case .wrongHoldKind: "wrongHoldKind"
        case .overRelease: "overRelease"
        case .insufficientFunds: "insufficientFunds"
        case .nothingMatured: "nothingMatured"
        case .invalidBasisPoints: "invalidBasisPoints"
        case .overflow: "overflow"
        case .timeWentBackwards: "timeWentBackwards"
        case .invalidJournal: "invalidJournal"
        }
    }

    /// Postings must describe exactly how the balances and totals moved.
    static func postingsMatch(_ postings: [Posting], before: Ledger, after: Ledger, accounts: [AccountID]) -> Bool {
        var deltas = [String: Int64]()
        for posting in postings {
            deltas["\(posting.account?.hex ?? "-"):\(posting.bucket)", default: 0] += posting.delta
        }
        for account in accounts {
            for bucket in Bucket.holderBuckets {
                let moved = after.balances(of: account)[bucket].micros - before.balances(of: account)[bucket].micros
                if moved != deltas["\(account.hex):\(bucket)", default: 0] { return false }
            }
        }
        return after.minted.micros - before.minted.micros == deltas["-:minted", default: 0]
            && after.burned.micros - before.burned.micros == deltas["-:burned", default: 0]
    }

    @Test("10,000 random operations keep the invariant, refuse cleanly, and replay to the same ledger")
    func randomWalk() throws {
        var generator = LedgerOperationGenerator(random: LedgerSplitMix64(seed: 0x7E4D_E2_2026))
        var ledger = Ledger()
        var journal: [JournalEntry] = []
        var now = Timestamp(millis: 1_000)
        var applied = [String: Int]()
        var refused = [String: Int]()

        for step in 0..<Self.operationCount {
            now = Timestamp(millis: now.millis + generator.random.int64(in: 0...20))
            var operation = generator.operation(for: ledger, at: now)
            var at = now
            if step == 0 { operation = .mint(to: LedgerFixtures.alice, amount: LedgerFixtures.micros(50_000_000)) }
            if let last = ledger.lastTime, generator.random.percent(2) { at = Timestamp(millis: last.millis - 1) }

            let before = ledger
            do {
                let entry = try ledger.apply(operation, at: at)
                applied[operation.name, default: 0] += 1
                guard entry.sequence == before.sequence + 1, entry.previousHash == before.headHash,
                      entry.hash == ledger.headHash, entry.isBalanced, entry.operation == operation,
                      Self.postingsMatch(entry.postings, before: before, after: ledger, accounts: generator.accounts)
                else {
                    Issue.record("step \(step): entry for \(operation.name) is inconsistent: \(entry.postings)")
                    return
                }
                journal.append(entry)
            } catch {
                refused[Self.caseName(error), default: 0] += 1
                guard ledger == before else {
                    Issue.record("step \(step): refused \(operation.name) (\(error)) but changed the ledger")
                    return
                }
            }

            guard ledger.invariantHolds, ledger.holdsAgreeWithBalances else {
                Issue.record("step \(step): invariant broken after \(operation.name): \(ledger.totals)")
                return
            }
            for account in generator.accounts {
                for bucket in Bucket.holderBuckets where ledger.balances(of: account)[bucket].micros < 0 {
                    Issue.record("step \(step): \(account.short) \(bucket) is negative")
                    return
                }
            }
        }

        // The walk must have exercised every operation and every refusal it can produce.
        #expect(applied.count == 16, "applied: \(applied)")
        let expectedRefusals: Set = [
            "zeroAmount", "invalidHoldID", "unknownHold", "duplicateHold", "holdClosed", "wrongHoldKind",
            "overRelease", "insufficientFunds", "nothingMatured", "invalidBasisPoints", "overflow", "timeWentBackwards",
        ]
        #expect(Set(refused.keys) == expectedRefusals, "refused: \(refused)")
        let refusedCount = refused.values.reduce(0, +)
        #expect(refusedCount > 1_000 && journal.count > 3_000, "\(journal.count) applied, \(refusedCount) refused")
        #expect(ledger.burned > .zero)

        // Replay and verification agree with the live ledger.
        #expect(try Ledger.replay(journal) == ledger)
        let report = Ledger.verify(journal)
        #expect(report.isValid)
        #expect(report.entriesChecked == journal.count)
        #expect(report.headHash == ledger.headHash)
        #expect(report.totals == ledger.totals)

        try Self.tamperedAmountIsDetected(journal, random: &generator.random)
        try Self.flippedBytesAreDetected(journal, random: &generator.random)
    }

    /// One amount in one entry's operation, one micro more, with the stored hash left alone.
    private static func tamperedAmountIsDetected(_ journal: [JournalEntry], random: inout LedgerSplitMix64) throws {
        let candidates = journal.indices.filter {
            if case .transfer = journal[$0].operation { return true }
            return false
        }
        let index = try #require(candidates.isEmpty ? nil : random.pick(candidates))
        guard case .transfer(let from, let to, let amount) = journal[index].operation else { return }
        var tampered = journal
        let entry = journal[index]
        tampered[index] = JournalEntry(
            sequence: entry.sequence, time: entry.time,
            operation: .transfer(from: from, to: to, amount: LedgerFixtures.micros(amount.micros + 1)),
            postings: entry.postings, previousHash: entry.previousHash, hash: entry.hash
        )
        let report = Ledger.verify(tampered)
        guard case .badHash(let sequence, _, _) = report.problem else {
            Issue.record("a changed amount at entry \(entry.sequence) was not caught: \(report)")
            return
        }
        #expect(sequence == entry.sequence)
        #expect(report.entriesChecked == index)
    }

    /// One hex digit of one stored entry's JSON changed to another: it either no longer decodes, or
    /// verification stops exactly at that entry.
    private static func flippedBytesAreDetected(_ journal: [JournalEntry], random: inout LedgerSplitMix64) throws {
        let hexDigits = Array("0123456789abcdef".utf8)
        for _ in 0..<6 {
            let index = random.below(journal.count)
            var bytes = Array(try CanonicalJSON.encode(journal[index]))
            let positions = bytes.indices.filter { hexDigits.contains(bytes[$0]) }
            let position = random.pick(positions)
            let original = bytes[position]
            bytes[position] = random.pick(hexDigits.filter { $0 != original })
            guard let decoded = try? CanonicalJSON.decode(JournalEntry.self, from: Data(bytes)) else { continue }
            var tampered = journal
            tampered[index] = decoded
            let report = Ledger.verify(tampered)
            #expect(!report.isValid, "flipped byte \(position) of entry \(index + 1) went unnoticed")
            #expect(report.entriesChecked == index)
        }
    }
}
