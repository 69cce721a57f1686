import Foundation
import GRDB
import Testing
import TenderCore
import TenderStore

@Suite("WALCheckpointer: the log is copied into the file off the writer's path")
struct WALCheckpointerTests {
    typealias F = StoreFixtures

    /// Writes `count` documents of about `bytes` bytes each, one transaction apiece.
    static func writeDocuments(_ count: Int, bytes: Int, through writer: GroupCommitWriter, from start: Int = 0) async throws {
        let body = String(repeating: "x", count: bytes)
        for index in start..<(start + count) {
            try await writer.write { db in
                try DocumentStore.put(kind: "blob", id: "\(index)", value: body, at: Timestamp(millis: 1), in: db)
            }
        }
    }

    static func logBytes(_ url: URL) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path + "-wal")
        return (attributes?[.size] as? Int) ?? 0
    }

    @Test("commits are checkpointed in the background, and the writer's own checkpoint waits for its bound")
    func commitsAreCheckpointedInTheBackground() async throws {
        try await F.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            let writer = GroupCommitWriter(database: database)
            let checkpointer = try #require(database.checkpointer)
            // SQLite's default would have the writer's commit checkpoint at 1,000 pages.
            let bound = try await database.read { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
            #expect(bound == TenderDatabase.writerCheckpointPages)
            #expect(TenderDatabase.writerCheckpointPages > 1_000)

            try await Self.writeDocuments(50, bytes: 8_000, through: writer)
            // Once the commits stop, a background checkpoint finds the whole log copied, and then
            // none runs until the next commit.
            try await waitUntil("a background checkpoint copies the whole log") {
                guard let last = checkpointer.counters.last else { return false }
                return last.logFrames > 0 && last.copiedFrames == last.logFrames
            }
            try await waitUntil("the checkpoints stop without commits") { !checkpointer.isScheduled }
            let settled = checkpointer.counters
            #expect(settled.failed == 0)
            try await Self.writeDocuments(1, bytes: 8_000, through: writer, from: 50)
            try await waitUntil("a commit schedules the next checkpoint") {
                checkpointer.counters.completed + checkpointer.counters.skipped > settled.completed + settled.skipped
            }
            try database.close()
            #expect(throws: WALCheckpointer.Closed.self) { try checkpointer.checkpointNow() }

            let reopened = try TenderDatabase(path: url)
            let stored = try await reopened.read { db in try DocumentStore.all(String.self, kind: "blob", in: db) }
            #expect(stored.count == 51)
            try reopened.close()
        }
    }

    @Test("the log does not grow past the writer's bound under writes that never pause")
    func logStaysBounded() async throws {
        try await F.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            let writer = GroupCommitWriter(database: database)
            let pageSize = try await database.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } ?? 4_096
            // About 1.5 times the bound in pages, written by 8 writers at once so batches follow
            // one another without a pause for a background checkpoint to catch up in.
            let documents = TenderDatabase.writerCheckpointPages * 3 / 2 / 4
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<8 {
                    group.addTask {
                        try await Self.writeDocuments(documents / 8, bytes: 3 * pageSize, through: writer, from: lane * documents)
                    }
                }
                try await group.waitForAll()
            }
            // The log may pass the bound by the batches committed while a background checkpoint
            // held the log (through two fsyncs) and the writer's checkpoints met it and gave way:
            // a quarter of the bound allows for a slow disk. Without the bound it ends near 57 MB.
            let frame = pageSize + 24
            let slackPages = TenderDatabase.writerCheckpointPages / 4
            #expect(Self.logBytes(url) <= 32 + (TenderDatabase.writerCheckpointPages + slackPages) * frame)
            #expect(writer.statistics.itemsCommitted == documents / 8 * 8)
            try database.close()
        }
    }

    @Test("a database in memory has no log and no checkpointer")
    func inMemoryHasNoCheckpointer() throws {
        let database = try TenderDatabase(location: .inMemory)
        #expect(database.checkpointer == nil)
    }
}
