import Foundation
import GRDB
import Testing
import TenderCore
import TenderStore

@Suite("GroupCommitWriter: batched, durable writes with per-item rollback")
struct GroupCommitWriterTests {
    typealias F = StoreFixtures

    /// The error a deliberately failing work item throws.
    struct RefusedWork: Error, Equatable {
        let index: Int
    }

    static func put(_ index: Int, in db: Database) throws {
        try DocumentStore.put(kind: "item", id: "\(index)", value: index, at: Timestamp(millis: 1), in: db)
    }

    static func storedItems(in database: TenderDatabase) async throws -> [Int] {
        try await database.read { db in try DocumentStore.all(Int.self, kind: "item", in: db).map(\.value) }
    }

    /// Queues `items` behind a gate that holds the writer, one at a time so their order is known,
    /// then opens the gate: the items all share the batch after the gate's. Returns each item's
    /// outcome, by index.
    static func runBehindGate(
        _ writer: GroupCommitWriter,
        _ items: [@Sendable (Database) throws -> Int]
    ) async throws -> [Int: Result<Int, any Error>] {
        try await runBehindGate(writer, items.map { work in (closes: false, work: { db, _ in try work(db) }) })
    }

    /// `runBehindGate` with closing work among the items (`GroupCommitWriter.write(closing:)`).
    static func runBehindGate(
        _ writer: GroupCommitWriter,
        _ items: [(closes: Bool, work: @Sendable (Database, _ closesBatch: Bool) throws -> Int)]
    ) async throws -> [Int: Result<Int, any Error>] {
        let gate = WriterGate()
        return try await withThrowingTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
            group.addTask {
                let value = try await writer.write { _ in gate.hold(); return -1 }
                return (-1, .success(value))
            }
            try await waitUntil("the gate holds the writer") { gate.hasEntered }
            for (index, work) in items.enumerated() {
                group.addTask {
                    do {
                        let value = try await work.closes
                            ? writer.write(closing: work.work) : writer.write { db in try work.work(db, false) }
                        return (index, .success(value))
                    } catch {
                        return (index, .failure(error))
                    }
                }
                try await waitUntil("item \(index) is queued") { writer.pendingCount == index + 1 }
            }
            gate.open()
            var outcomes: [Int: Result<Int, any Error>] = [:]
            for try await (index, outcome) in group where index >= 0 {
                outcomes[index] = outcome
            }
            return outcomes
        }
    }

    // MARK: - Batching

    @Test("reads and writes after close are refused with StoreError.closed, never run on the closed connection")
    func closedDatabaseRefusesWork() async throws {
        try await F.withTemporaryDatabase { url in
            let storage = try SQLiteMarketStorage(path: url)
            let policy = MarketPolicy(treasury: F.treasury, auditPool: F.treasury)
            _ = try await storage.load(policy: policy, trust: .startingUp(key: F.controllerKey.account))
            try await storage.close()
            await #expect(throws: StoreError.closed(path: url.path)) {
                _ = try await storage.load(policy: policy, trust: .startingUp(key: F.controllerKey.account))
            }
            await #expect(throws: StoreError.closed(path: url.path)) {
                try await storage.write(.deadline(StoredDeadline(kind: "k", id: "1", dueAt: Timestamp(millis: 1))), at: Timestamp(millis: 1))
            }
        }
    }

    @Test("500 concurrent writes all commit, share transactions, and are there after reopening")
    func concurrentWrites() async throws {
        try await F.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            let writer = GroupCommitWriter(database: database)
            let returned = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<500 {
                    group.addTask {
                        try await writer.write { db in
                            try Self.put(index, in: db)
                            return index * 2
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(returned.sorted() == (0..<500).map { $0 * 2 })
            let statistics = writer.statistics
            #expect(statistics.itemsCommitted == 500)
            #expect(statistics.itemsFailed == 0)
            #expect(statistics.transactionsCommitted < 500)
            #expect(statistics.transactionsCommitted >= 1)
            #expect(statistics.largestBatch > 1)
            try database.close()

            let reopened = try TenderDatabase(path: url)
            #expect(try await Self.storedItems(in: reopened).sorted() == Array(0..<500))
        }
    }

    @Test("items queued while a transaction runs are committed together in the next one")
    func queuedItemsShareOneTransaction() async throws {
        let database = try TenderDatabase(location: .inMemory)
        let writer = GroupCommitWriter(database: database)
        let items: [@Sendable (Database) throws -> Int] = (0..<20).map { index in
            { db in try Self.put(index, in: db); return index }
        }
        let outcomes = try await Self.runBehindGate(writer, items)
        #expect(outcomes.count == 20)
        for (index, outcome) in outcomes {
            #expect(try outcome.get() == index)
        }
        // The gate's transaction, then one for all twenty.
        #expect(writer.statistics == {
            var expected = GroupCommitStatistics()
            expected.transactionsCommitted = 2
            expected.itemsCommitted = 21
            expected.largestBatch = 20
            return expected
        }())
    }

    @Test("maximumBatchSize splits a long queue into several transactions")
    func batchSizeLimit() async throws {
        let database = try TenderDatabase(location: .inMemory)
        let writer = GroupCommitWriter(database: database, maximumBatchSize: 4)
        let items: [@Sendable (Database) throws -> Int] = (0..<10).map { index in
            { db in try Self.put(index, in: db); return index }
        }
        _ = try await Self.runBehindGate(writer, items)
        // Gate, then 4 + 4 + 2.
        #expect(writer.statistics.transactionsCommitted == 4)
        #expect(writer.statistics.largestBatch == 4)
        #expect(try await Self.storedItems(in: database) == Array(0..<10))
    }

    // MARK: - Failure

    @Test("an item that throws in the middle of a batch gets its error and is rolled back alone")
    func failingItemRolledBackAlone() async throws {
        try await F.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            let writer = GroupCommitWriter(database: database)
            let items: [@Sendable (Database) throws -> Int] = (0..<9).map { index in
                { db in
                    try Self.put(index, in: db)
                    if index == 4 { throw RefusedWork(index: index) }
                    return index
                }
            }
            let outcomes = try await Self.runBehindGate(writer, items)

            #expect(throws: RefusedWork(index: 4)) { try outcomes[4]?.get() }
            for index in [0, 1, 2, 3, 5, 6, 7, 8] {
                #expect(try outcomes[index]?.get() == index)
            }
            let statistics = writer.statistics
            #expect(statistics.transactionsCommitted == 2)
            #expect(statistics.largestBatch == 9)
            #expect(statistics.itemsCommitted == 9)
            #expect(statistics.itemsFailed == 1)
            try database.close()

            let reopened = try TenderDatabase(path: url)
            #expect(try await Self.storedItems(in: reopened) == [0, 1, 2, 3, 5, 6, 7, 8])
        }
    }

    @Test("when the commit fails every caller of the batch gets the error and nothing is written")
    func commitFailure() async throws {
        try await F.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            // A deferred foreign key is checked only at COMMIT: a child without its parent passes
            // its savepoint and fails the whole transaction.
            try await database.queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE parent (id INTEGER PRIMARY KEY);
                    CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
                    """)
            }
            let writer = GroupCommitWriter(database: database)
            let items: [@Sendable (Database) throws -> Int] = [
                { db in try Self.put(0, in: db); return 0 },
                { db in try db.execute(sql: "INSERT INTO child (parent_id) VALUES (42)"); return 1 },
                { db in try Self.put(2, in: db); return 2 },
                { _ in throw RefusedWork(index: 3) },
            ]
            let outcomes = try await Self.runBehindGate(writer, items)

            for index in 0..<3 {
                #expect {
                    try outcomes[index]?.get()
                } throws: { error in
                    guard case .commitFailed(let reason) = error as? StoreError else { return false }
                    return reason.contains("FOREIGN KEY")
                }
            }
            // An item that failed by itself still gets its own error.
            #expect(throws: RefusedWork(index: 3)) { try outcomes[3]?.get() }
            let statistics = writer.statistics
            #expect(statistics.transactionsCommitted == 1)
            #expect(statistics.transactionsFailed == 1)
            #expect(statistics.itemsCommitted == 1)
            #expect(try await Self.storedItems(in: database).isEmpty)
            let children = try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM child") }
            #expect(children == 0)

            // The writer goes on working after a failed batch.
            #expect(try await writer.write { db in try Self.put(9, in: db); return 9 } == 9)
            #expect(try await Self.storedItems(in: database) == [9])
        }
    }

    @Test("when SQLite loses the batch transaction, items that had succeeded are told nothing was written")
    func batchAborted() async throws {
        let database = try TenderDatabase(location: .inMemory)
        let writer = GroupCommitWriter(database: database)
        let items: [@Sendable (Database) throws -> Int] = [
            { db in try Self.put(0, in: db); return 0 },
            { db in try db.execute(sql: "ROLLBACK"); return 1 },
            { db in try Self.put(2, in: db); return 2 },
        ]
        let outcomes = try await Self.runBehindGate(writer, items)

        for index in [0, 2] {
            #expect {
                try outcomes[index]?.get()
            } throws: { error in
                guard case .batchAborted = error as? StoreError else { return false }
                return true
            }
        }
        #expect(throws: (any Error).self) { try outcomes[1]?.get() }
        #expect(writer.statistics.transactionsFailed == 1)
        #expect(try await Self.storedItems(in: database).isEmpty)
        #expect(try await writer.write { db in try Self.put(5, in: db); return 5 } == 5)
        #expect(try await Self.storedItems(in: database) == [5])
    }

    // MARK: - Closing work

    /// Closing work that stores its index, and whether it was told it closes the batch.
    static func closing(_ index: Int, failsWhenClosing: Bool = false) -> (closes: Bool, work: @Sendable (Database, Bool) throws -> Int) {
        (closes: true, work: { db, closesBatch in
            if closesBatch && failsWhenClosing { throw RefusedWork(index: index) }
            try Self.put(index, in: db)
            if closesBatch { try DocumentStore.put(kind: "closer", id: "\(index)", value: index, at: Timestamp(millis: 1), in: db) }
            return index
        })
    }

    static func plain(_ index: Int) -> (closes: Bool, work: @Sendable (Database, Bool) throws -> Int) {
        (closes: false, work: { db, _ in try Self.put(index, in: db); return index })
    }

    @Test("only the last closing item of a batch is told it closes it, even with plain items after it")
    func lastClosingItemCloses() async throws {
        let database = try TenderDatabase(location: .inMemory)
        let writer = GroupCommitWriter(database: database)
        let outcomes = try await Self.runBehindGate(writer, [Self.plain(0), Self.closing(1), Self.plain(2), Self.closing(3), Self.plain(4)])
        #expect(try outcomes.keys.sorted().map { try outcomes[$0]!.get() } == [0, 1, 2, 3, 4])
        #expect(try await Self.storedItems(in: database).sorted() == [0, 1, 2, 3, 4])
        let closers = try await database.read { db in try DocumentStore.all(Int.self, kind: "closer", in: db).map(\.value) }
        #expect(closers == [3])
    }

    @Test("a closing item that fails after an earlier one was written takes the whole batch back")
    func failedCloserAbortsBatch() async throws {
        let database = try TenderDatabase(location: .inMemory)
        let writer = GroupCommitWriter(database: database)
        let outcomes = try await Self.runBehindGate(writer, [Self.plain(0), Self.closing(1), Self.closing(2, failsWhenClosing: true)])
        for index in [0, 1] {
            #expect { try outcomes[index]!.get() } throws: { error in
                guard case .batchAborted(let reason) = error as? StoreError else { return false }
                return reason.contains("which closes the batch, failed")
            }
        }
        #expect(throws: RefusedWork(index: 2)) { try outcomes[2]!.get() }
        #expect(try await Self.storedItems(in: database).isEmpty)
        #expect(writer.statistics.transactionsFailed == 1)
    }

    @Test("a failing closing item with no closing work before it fails alone")
    func loneCloserFailsAlone() async throws {
        let database = try TenderDatabase(location: .inMemory)
        let writer = GroupCommitWriter(database: database)
        let outcomes = try await Self.runBehindGate(writer, [Self.plain(0), Self.closing(1, failsWhenClosing: true), Self.plain(2)])
        #expect(try outcomes[0]!.get() == 0)
        #expect(throws: RefusedWork(index: 1)) { try outcomes[1]!.get() }
        #expect(try outcomes[2]!.get() == 2)
        #expect(try await Self.storedItems(in: database).sorted() == [0, 2])
    }

    // MARK: - Durable acknowledgement

    @Test("a write returns only once a separate connection can read what it wrote")
    func acknowledgedAfterCommit() async throws {
        try await F.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            let writer = GroupCommitWriter(database: database)
            let observer = try DatabaseQueue(path: url.path)
            for index in 0..<20 {
                try await writer.write { db in try Self.put(index, in: db) }
                let seen = try await observer.read { db in
                    try DocumentStore.get(Int.self, kind: "item", id: "\(index)", in: db)
                }
                #expect(seen == index)
            }
        }
    }
}
