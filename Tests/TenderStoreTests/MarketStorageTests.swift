import Foundation
import Testing
import TenderCore
import TenderStore

/// The storage protocol's promises, on every backend: what is written loads back as the same
/// market, a write is all or nothing, the journal only grows at its head, writes keep their order.
@Suite("Market storage on every backend")
struct MarketStorageTests {
    let policy = MarketPolicy(treasury: StoreFixtures.treasury, auditPool: StoreFixtures.treasury)
    let now = Timestamp(millis: 1_700_000_000_000)

    /// Mints to `accounts` one by one, writing each change as the controller does.
    func mintEach(_ accounts: [AccountID], into market: inout Marketplace, storage: any MarketStorage) async throws {
        for (index, account) in accounts.enumerated() {
            let change = try market.mint(StoreFixtures.micros(Int64(index + 1) * 1_000_000), to: account, now: now)
            try await storage.write(StoreFixtures.records(change, market), at: now)
        }
    }

    /// Writes `batches` from concurrent tasks, each taking the next in call order, as the
    /// controller's actor does: they share transactions.
    func writeConcurrently(_ batches: [MarketRecords], to storage: any MarketStorage) async throws {
        let sequencer = Sequencer(batches: batches, storage: storage)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in batches {
                group.addTask { try await sequencer.writeNext(at: now) }
            }
            try await group.waitForAll()
        }
    }

    @Test("what is written loads back as the same market: ledger, accounts, deadlines and private records", arguments: StoreBackend.available)
    func roundTrip(backend: StoreBackend) async throws {
        try await backend.withScratchStore { store in
            var market = Marketplace(policy: policy)
            try await mintEach([StoreFixtures.alice, StoreFixtures.bob, StoreFixtures.carol], into: &market, storage: store.storage)
            var records = MarketRecords()
            records.beaconSecrets = [(lease: 7, secret: "s3cret")]
            records.deadlines = [
                StoredDeadline(Deadline(kind: .auctionClose, subject: 1, at: now.adding(seconds: 5))),
                StoredDeadline(Deadline(kind: .leaseCheck, subject: 2, at: now.adding(seconds: 9))),
            ]
            try await store.storage.write(records, at: now)
            // A deadline moved, another handled.
            try await store.storage.write(.deadline(StoredDeadline(Deadline(kind: .auctionClose, subject: 1, at: now.adding(seconds: 6)))), at: now)
            try await store.storage.write(.removingDeadline(kind: Deadline.Kind.leaseCheck.rawValue, id: "2"), at: now)

            let loaded = try await store.storage.load(policy: policy, trust: .startingUp(key: StoreFixtures.treasury))
            #expect(loaded.market.ledger == market.ledger)
            #expect(loaded.replayed == 3)
            #expect(loaded.snapshotSequence == nil && !loaded.snapshotRejected)
            for account in [StoreFixtures.alice, StoreFixtures.bob, StoreFixtures.carol] {
                #expect(loaded.market.account(account) == market.account(account))
            }
            #expect(loaded.deadlines == [Deadline(kind: .auctionClose, subject: 1, at: now.adding(seconds: 6))])
            #expect(try await store.storage.beaconSecret(lease: 7) == "s3cret")
            #expect(try await store.storage.beaconSecret(lease: 8) == nil)
        }
    }

    @Test("the journal pages in order from any sequence", arguments: StoreBackend.available)
    func journalPages(backend: StoreBackend) async throws {
        try await backend.withScratchStore { store in
            var market = Marketplace(policy: policy)
            try await mintEach((0..<7).map { _ in KeyPair().account }, into: &market, storage: store.storage)
            #expect(try await store.storage.journal(after: 0, limit: 3).map(\.sequence) == [1, 2, 3])
            #expect(try await store.storage.journal(after: 5, limit: 10).map(\.sequence) == [6, 7])
            #expect(try await store.storage.journal(after: 7, limit: 10).isEmpty)
            let whole = try await store.storage.wholeJournal()
            #expect(whole.count == 7)
            #expect(try Ledger.replay(whole) == market.ledger)
        }
    }

    /// A write whose journal entry does not extend the head is refused whole (its records are
    /// not stored either), and writes queued beside it are not affected.
    @Test("a write that does not extend the journal's head is refused whole; the writes beside it land", arguments: StoreBackend.available)
    func refusedWriteIsWhole(backend: StoreBackend) async throws {
        try await backend.withScratchStore { store in
            var market = Marketplace(policy: policy)
            try await mintEach([StoreFixtures.alice], into: &market, storage: store.storage)
            // An entry replaying sequence 1 again, with a record riding along.
            var forged = MarketRecords()
            forged.journal = [try #require(try await store.storage.journal(after: 0, limit: 1).first)]
            forged.beaconSecrets = [(lease: 1, secret: "should not be stored")]
            var honest = MarketRecords()
            honest.beaconSecrets = [(lease: 2, secret: "stored")]
            let storage = store.storage
            let first = Task { try await storage.write(forged, at: now) }
            let second = Task { try await storage.write(honest, at: now) }
            await #expect(throws: (any Error).self) { try await first.value }
            try await second.value
            #expect(try await store.storage.beaconSecret(lease: 1) == nil)
            #expect(try await store.storage.beaconSecret(lease: 2) == "stored")
            #expect(try await store.storage.wholeJournal().count == 1)
            // The journal still takes its next entry.
            try await mintEach([StoreFixtures.bob], into: &market, storage: store.storage)
            #expect(try await store.storage.wholeJournal().count == 2)
        }
    }

    /// 200 writes made by an actor for 200 concurrent callers, each extending the journal: they
    /// land in the order the actor made them (each entry needs the one before), as the market's
    /// actor relies on, and share transactions.
    @Test("concurrent writes keep their call order and share transactions", arguments: StoreBackend.available)
    func groupCommitKeepsOrder(backend: StoreBackend) async throws {
        try await backend.withScratchStore { store in
            var market = Marketplace(policy: policy)
            var batches: [MarketRecords] = []
            for _ in 0..<200 {
                let change = try market.mint(StoreFixtures.micros(1), to: KeyPair().account, now: now)
                batches.append(StoreFixtures.records(change, market))
            }
            let storage = store.storage
            try await writeConcurrently(batches, to: storage)
            let loaded = try await storage.load(policy: policy, trust: .startingUp(key: StoreFixtures.treasury))
            #expect(loaded.market.ledger == market.ledger)
            #expect(storage.statistics.itemsCommitted >= 200)
            #expect(storage.statistics.transactionsCommitted < 200)
        }
    }

    @Test("with the controller's key, each transaction signs the head it leaves, with that key", arguments: StoreBackend.available)
    func headSignedOncePerTransaction(backend: StoreBackend) async throws {
        try await backend.withScratchStore { store in
            let key = StoreFixtures.controllerKey
            var market = Marketplace(policy: policy)
            var batches: [MarketRecords] = []
            for index in 0..<200 {
                // Some writes make two entries, and some make none, as the controller's do.
                var change = try market.mint(StoreFixtures.micros(1), to: KeyPair().account, now: now)
                if index % 3 == 0 { change.merge(try market.mint(StoreFixtures.micros(2), to: StoreFixtures.alice, now: now)) }
                batches.append(StoreFixtures.records(change, market))
                if index % 7 == 0 {
                    var deadline = MarketRecords.deadline(StoredDeadline(Deadline(kind: .auctionClose, subject: UInt64(index), at: now)))
                    deadline.signer = key
                    batches.append(deadline)
                }
            }
            let storage = store.storage
            try await writeConcurrently(batches, to: storage)
            let journal = try await storage.journal(after: 0, limit: 1_000)
            #expect(journal.count == market.ledger.sequence)
            #expect(Ledger.verify(journal).isValid)
            let signed = journal.filter { $0.signature != nil }
            #expect(signed.allSatisfy { $0.isSigned(by: key.account) })
            #expect(journal.last?.isSigned(by: key.account) == true)
            // At most one signature per transaction (which writes share is up to scheduling;
            // `GroupCommitWriterTests` pins which write closes a batch).
            #expect(signed.count <= storage.statistics.transactionsCommitted)
            // Fewer signatures than writes, since concurrent writes share transactions (as the
            // test above shows).
            #expect(signed.count < 200)
        }
    }

    @Test("a journal that ends on unsigned entries is refused at load, and loads once a signed entry follows them", arguments: StoreBackend.available)
    func unsignedTailRefused(backend: StoreBackend) async throws {
        try await backend.withScratchStore { store in
            var market = Marketplace(policy: policy)
            try await mintEach([StoreFixtures.alice], into: &market, storage: store.storage)
            for account in [StoreFixtures.bob, StoreFixtures.carol] {
                let change = try market.mint(StoreFixtures.micros(1), to: account, now: now)
                try await store.storage.write(MarketRecords(change: change, market: market), at: now)
            }
            await #expect(throws: StoreError.unsignedJournalTail(from: 2, through: 3)) {
                try await store.storage.load(policy: policy, trust: .startingUp(key: StoreFixtures.treasury))
            }
            let change = try market.mint(StoreFixtures.micros(1), to: StoreFixtures.alice, now: now)
            try await store.storage.write(StoreFixtures.records(change, market), at: now)
            #expect(try await store.storage.load(policy: policy, trust: .startingUp(key: StoreFixtures.treasury)).market.ledger == market.ledger)
        }
    }

    @Test("a journal whose head another key signed loads at start-up; a later load takes it only as the head it started on", arguments: StoreBackend.available)
    func headSignedByAnotherKey(backend: StoreBackend) async throws {
        try await backend.withScratchStore { store in
            var market = Marketplace(policy: policy)
            try await mintEach([StoreFixtures.alice], into: &market, storage: store.storage)
            let key = StoreFixtures.controllerKey.account
            let started = market.ledger.head
            // Someone with write access to the database appends an entry under a key of their own.
            let change = try market.mint(StoreFixtures.micros(1), to: StoreFixtures.bob, now: now)
            var records = MarketRecords(change: change, market: market)
            records.signer = KeyPair()
            try await store.storage.write(records, at: now)

            // Loaded at start-up, on the operator's word (a deliberate key rotation looks the same).
            #expect(try await store.storage.load(policy: policy, trust: .startingUp(key: key)).market.ledger == market.ledger)
            // By a controller that started on the head before it: refused, naming the entry.
            await #expect(throws: StoreError.untrustedJournalHead(sequence: 2)) {
                try await store.storage.load(policy: policy, trust: .after(startingOn: started, key: key))
            }
            // By one that started on this very head: taken.
            let head = market.ledger.head
            #expect(try await store.storage.load(policy: policy, trust: .after(startingOn: head, key: key)).market.ledger == market.ledger)
            // Once an entry signed with the controller's key follows, taken again.
            let next = try market.mint(StoreFixtures.micros(1), to: StoreFixtures.carol, now: now)
            try await store.storage.write(StoreFixtures.records(next, market), at: now)
            #expect(try await store.storage.load(policy: policy, trust: .after(startingOn: started, key: key)).market.ledger == market.ledger)
        }
    }

    /// What a follower of a shared store reads: everything written since its revision, which
    /// brings a copy loaded then to the same market. A store nobody follows (SQLite) says nil.
    @Test("changes since a revision bring a copy loaded then up to the store", arguments: StoreBackend.available)
    func changesSinceRevision(backend: StoreBackend) async throws {
        try await backend.withScratchStore { store in
            var market = Marketplace(policy: policy)
            try await mintEach([StoreFixtures.alice], into: &market, storage: store.storage)
            let before = try await store.storage.revision()
            var copy = try await store.storage.load(policy: policy, trust: .startingUp(key: StoreFixtures.treasury)).market
            try await mintEach([StoreFixtures.bob, StoreFixtures.carol], into: &market, storage: store.storage)
            let change = try market.transfer(StoreFixtures.micros(7), from: StoreFixtures.bob, to: StoreFixtures.alice, now: now)
            var records = StoreFixtures.records(change, market)
            records.accounts = [market.account(StoreFixtures.bob)]
            records.counters = market.counters
            try await store.storage.write(records, at: now)

            guard let (update, reached) = try await store.storage.changes(since: before) else {
                #expect(backend == .sqlite, "only a store nobody follows may decline")
                return
            }
            #expect(update.journal.map(\.sequence) == [2, 3, 4])
            #expect(update.accounts.map(\.id) == [StoreFixtures.bob])
            #expect(update.counters == market.counters)
            #expect(reached == (try await store.storage.revision()))
            try copy.follow(update)
            #expect(copy.ledger == market.ledger)
            for account in [StoreFixtures.alice, StoreFixtures.bob, StoreFixtures.carol] {
                #expect(copy.account(account) == market.account(account))
            }
            // Nothing new: an empty update at the same revision.
            let (nothing, same) = try #require(try await store.storage.changes(since: reached))
            #expect(nothing.isEmpty && same == reached)
        }
    }

    @Test("a snapshot signed by the controller resumes the load; one signed by another key is reported and ignored", arguments: StoreBackend.available)
    func snapshotResume(backend: StoreBackend) async throws {
        try await backend.withScratchStore { store in
            let controller = KeyPair()
            var market = Marketplace(policy: policy)
            try await mintEach((0..<5).map { _ in KeyPair().account }, into: &market, storage: store.storage)
            let snapshot = market.ledger.snapshot
            try await mintEach((0..<2).map { _ in KeyPair().account }, into: &market, storage: store.storage)
            for (signer, resumes) in [(KeyPair(), false), (controller, true)] {
                let json = String(decoding: try CanonicalJSON.encode(try Signed(snapshot, by: signer)), as: UTF8.self)
                try await store.storage.write(.snapshot(json: json), at: now)
                let loaded = try await store.storage.load(policy: policy, trust: .startingUp(key: controller.account))
                #expect(loaded.market.ledger == market.ledger)
                #expect(loaded.snapshotSequence == (resumes ? 5 : nil))
                #expect(loaded.snapshotRejected == !resumes)
                #expect(loaded.replayed == (resumes ? 2 : 7))
            }
        }
    }
}

/// Hands each caller the next batch and writes it in the same actor turn, as `MarketService` does.
private actor Sequencer {
    private var next = 0
    private let batches: [MarketRecords]
    private let storage: any MarketStorage

    init(batches: [MarketRecords], storage: any MarketStorage) {
        self.batches = batches
        self.storage = storage
    }

    func writeNext(at now: Timestamp) async throws {
        let records = batches[next]
        next += 1
        try await storage.write(records, at: now)
    }
}
