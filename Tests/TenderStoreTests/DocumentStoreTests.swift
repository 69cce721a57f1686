import Foundation
import Testing
import TenderCore
import TenderStore

@Suite("DocumentStore: typed JSON documents by kind and id")
struct DocumentStoreTests {
    /// A stand-in for a controller record.
    struct OrderRecord: Codable, Equatable, Sendable {
        var number: Int
        var owner: String
        var budget: Amount
        var note: String?
    }

    @Test("documents round-trip through a reopened file, by kind, ordered by id")
    func roundTrip() async throws {
        let first = OrderRecord(number: 1, owner: "alice", budget: StoreFixtures.micros(5_000_000), note: nil)
        let second = OrderRecord(number: 2, owner: "bob", budget: StoreFixtures.micros(7), note: "a/b \"quoted\"")
        try await StoreFixtures.withTemporaryDatabase { url in
            let database = try TenderDatabase(path: url)
            try await database.queue.write { db in
                try DocumentStore.put(kind: "order", id: "2", value: second, at: Timestamp(millis: 20), in: db)
                try DocumentStore.put(kind: "order", id: "1", value: first, at: Timestamp(millis: 10), in: db)
                try DocumentStore.put(kind: "nonce", id: "1", value: 99, at: Timestamp(millis: 30), in: db)
            }
            try database.close()

            let reopened = try TenderDatabase(path: url)
            let (one, missing, orders, nonce, count) = try await reopened.read { db in
                (
                    try DocumentStore.get(OrderRecord.self, kind: "order", id: "1", in: db),
                    try DocumentStore.get(OrderRecord.self, kind: "order", id: "3", in: db),
                    try DocumentStore.all(OrderRecord.self, kind: "order", in: db),
                    try DocumentStore.get(Int.self, kind: "nonce", id: "1", in: db),
                    try DocumentStore.count(kind: "order", in: db)
                )
            }
            #expect(one == first)
            #expect(missing == nil)
            #expect(orders.map(\.id) == ["1", "2"])
            #expect(orders.map(\.value) == [first, second])
            #expect(orders.map(\.updatedAt) == [Timestamp(millis: 10), Timestamp(millis: 20)])
            #expect(nonce == 99)
            #expect(count == 2)
        }
    }

    @Test("put replaces a document and its time, and delete removes only its own key")
    func replaceAndDelete() async throws {
        let database = try TenderDatabase(location: .inMemory)
        let (replaced, deleted, deletedAgain, left) = try await database.queue.write { db in
            try DocumentStore.put(kind: "lease", id: "7", value: "running", at: Timestamp(millis: 1), in: db)
            try DocumentStore.put(kind: "lease", id: "7", value: "settled", at: Timestamp(millis: 2), in: db)
            try DocumentStore.put(kind: "order", id: "7", value: "open", at: Timestamp(millis: 3), in: db)
            let replaced = try DocumentStore.all(String.self, kind: "lease", in: db)
            let deleted = try DocumentStore.delete(kind: "lease", id: "7", in: db)
            let deletedAgain = try DocumentStore.delete(kind: "lease", id: "7", in: db)
            let left = try DocumentStore.get(String.self, kind: "order", id: "7", in: db)
            return (replaced, deleted, deletedAgain, left)
        }
        #expect(replaced == [StoredDocument(kind: "lease", id: "7", value: "settled", updatedAt: Timestamp(millis: 2))])
        #expect(deleted)
        #expect(!deletedAgain)
        #expect(left == "open")
    }

    @Test("reading a document as the wrong type is a decodingFailed error naming it")
    func wrongType() async throws {
        let database = try TenderDatabase(location: .inMemory)
        try await database.queue.write { db in
            try DocumentStore.put(kind: "order", id: "1", value: "text", at: Timestamp(millis: 1), in: db)
        }
        #expect {
            try database.queue.read { db in try DocumentStore.get(Int.self, kind: "order", id: "1", in: db) }
        } throws: { error in
            guard case .decodingFailed(let what, _) = error as? StoreError else { return false }
            return what == "document order/1"
        }
    }
}
