import Testing
import TenderCore
import TenderStore

/// A load after start-up takes a journal only if it still holds the latest head the controller
/// saw durable (`JournalTrust.floor`): cut back to an earlier signed head, or rewritten from it,
/// it is refused, whatever signed it.
@Suite("Market load: the floor a later load must hold")
struct MarketLoadTrustTests {
    let key = KeyPair()
    let policy = MarketPolicy(treasury: StoreFixtures.treasury, auditPool: StoreFixtures.treasury)

    /// A journal of `count` mints, each entry signed with the key.
    func journal(_ count: Int, startingAt millis: Int64 = 1) throws -> [JournalEntry] {
        var ledger = Ledger()
        return try (0..<count).map { index in
            try ledger.apply(.mint(to: StoreFixtures.alice, amount: StoreFixtures.micros(Int64(index + 1))), at: Timestamp(millis: millis + Int64(index)))
                .signed(by: key)
        }
    }

    /// Loads `entries` (from `snapshot`, if given) as a later load with `floor`.
    func load(_ entries: [JournalEntry], floor: JournalEntry, snapshot: Ledger.Snapshot? = nil) throws -> LoadedMarket {
        let started = JournalTrust.Head(sequence: 1, hash: entries[0].hash)
        var trust = JournalTrust.after(startingOn: started, key: key.account)
        trust.saw(JournalTrust.Head(sequence: floor.sequence, hash: floor.hash))
        var load = MarketLoad(snapshot: snapshot, hashAtSnapshot: snapshot?.headHash, storedSnapshot: snapshot != nil, trust: trust)
        for entry in entries where entry.sequence > load.ledger.sequence { try load.replay(entry) }
        return try load.finish(policy: policy, records: MarketLoad.Records())
    }

    @Test("a journal that holds the floor and goes on past it loads")
    func holdsTheFloor() throws {
        let entries = try journal(5)
        #expect(try load(entries, floor: entries[2]).market.ledger.sequence == 5)
        #expect(try load(Array(entries.prefix(3)), floor: entries[2]).market.ledger.sequence == 3)
    }

    @Test("a journal cut back below the floor, to a head the key signed, is refused")
    func cutBack() throws {
        let entries = try journal(5)
        #expect(throws: StoreError.journalRewound(head: 3, floor: 4)) { try load(Array(entries.prefix(3)), floor: entries[3]) }
    }

    @Test("a journal rewritten from below the floor, signed with the key, is refused even when it is longer")
    func rewritten() throws {
        let entries = try journal(5)
        var fork = Array(entries.prefix(2))
        var ledger = try Ledger.replay(fork)
        for index in 0..<4 {
            fork.append(try ledger.apply(.mint(to: StoreFixtures.bob, amount: StoreFixtures.micros(7)), at: Timestamp(millis: 100 + Int64(index))).signed(by: key))
        }
        #expect(throws: StoreError.journalRewound(head: 6, floor: 4)) { try load(fork, floor: entries[3]) }
    }

    @Test("a snapshot at the floor resumes the load only if it is the floor's head")
    func snapshotAtTheFloor() throws {
        let entries = try journal(4)
        let snapshot = try Ledger.replay(entries.prefix(3)).snapshot
        #expect(try load(entries, floor: entries[2], snapshot: snapshot).market.ledger.sequence == 4)
        // Entries cut to the snapshot, the floor past it: refused.
        #expect(throws: StoreError.journalRewound(head: 3, floor: 4)) { try load(Array(entries.prefix(3)), floor: entries[3], snapshot: snapshot) }
    }
}
