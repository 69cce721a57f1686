import Foundation
import Testing
import TenderCore
import TenderStore

@Suite("DeadlineStore: stored clock deadlines")
struct DeadlineStoreTests {
    static func deadline(_ kind: String, _ id: String, _ millis: Int64) -> StoredDeadline {
        StoredDeadline(kind: kind, id: id, dueAt: Timestamp(millis: millis))
    }

    @Test("deadlines survive a reopen; upsert moves one and remove clears it")
    func roundTrip() async throws {
        try await StoreFixtures.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            try await database.queue.write { db in
                try DeadlineStore.upsert(Self.deadline("auction-close", "order:1", 500), in: db)
                try DeadlineStore.upsert(Self.deadline("lease-check", "lease:1", 900), in: db)
                try DeadlineStore.upsert(Self.deadline("auction-close", "order:1", 700), in: db)
            }
            try database.close()

            let reopened = try TenderDatabase(path: url)
            let all = try await reopened.read { db in try DeadlineStore.all(in: db) }
            #expect(all == [
                Self.deadline("auction-close", "order:1", 700), Self.deadline("lease-check", "lease:1", 900),
            ])

            let (removed, removedAgain, moved, gone) = try await reopened.queue.write { db in
                (
                    try DeadlineStore.remove(kind: "lease-check", id: "lease:1", in: db),
                    try DeadlineStore.remove(kind: "lease-check", id: "lease:1", in: db),
                    try DeadlineStore.get(kind: "auction-close", id: "order:1", in: db),
                    try DeadlineStore.get(kind: "lease-check", id: "lease:1", in: db)
                )
            }
            #expect(removed)
            #expect(!removedAgain)
            #expect(moved?.dueAt == Timestamp(millis: 700))
            #expect(gone == nil)
        }
    }

    @Test("due lists deadlines at or before now, earliest first, ties by kind then id; next is the earliest")
    func dueOrdering() async throws {
        let database = try TenderDatabase(location: .inMemory)
        let inserted = [
            Self.deadline("settlement", "lease:2", 300),
            Self.deadline("auction-close", "order:9", 100),
            Self.deadline("lease-check", "lease:3", 300),
            Self.deadline("lease-check", "lease:1", 300),
            Self.deadline("auction-close", "order:4", 400),
            Self.deadline("settlement", "lease:8", 301),
        ]
        try await database.queue.write { db in
            for deadline in inserted { try DeadlineStore.upsert(deadline, in: db) }
        }
        let (dueAt300, firstTwo, dueBeforeAll, next) = try await database.read { db in
            (
                try DeadlineStore.due(at: Timestamp(millis: 300), in: db),
                try DeadlineStore.due(at: Timestamp(millis: 1_000), limit: 2, in: db),
                try DeadlineStore.due(at: Timestamp(millis: 99), in: db),
                try DeadlineStore.next(in: db)
            )
        }
        #expect(dueAt300 == [
            Self.deadline("auction-close", "order:9", 100),
            Self.deadline("lease-check", "lease:1", 300),
            Self.deadline("lease-check", "lease:3", 300),
            Self.deadline("settlement", "lease:2", 300),
        ])
        #expect(firstTwo == Array(dueAt300.prefix(2)))
        #expect(dueBeforeAll.isEmpty)
        #expect(next == Self.deadline("auction-close", "order:9", 100))
    }

    @Test("an empty table has no next deadline")
    func emptyNext() async throws {
        let database = try TenderDatabase(location: .inMemory)
        #expect(try await database.read { db in try DeadlineStore.next(in: db) } == nil)
    }
}
