import Foundation
import Testing
import TenderCore
import TenderStore

/// Finished orders are archived: a load leaves them out, and lists read them from the archive, on
/// every backend.
@Suite("The archive of finished orders on every backend")
struct ArchiveStorageTests {
    let policy = MarketPolicy(treasury: StoreFixtures.treasury, auditPool: StoreFixtures.treasury)
    let now = Timestamp(millis: 1_700_000_000_000)

    static let manifestText = """
        version: 1
        name: archived
        kind: inference
        workload:
          runtime: mlp-infer
          model: sha256:\(Hashing.sha256Hex("model"))
          inputs: sha256:\(Hashing.sha256Hex("inputs"))
          batch: 4
          checkpointInterval: 2
        resources:
          cpu:
            units: 1
          memory:
            size: 1Gi
          storage:
            - size: 512Mi
        pricing:
          maxPrice: 0.5
          auctionDuration: 1h
        verification:
          mode: sampled
          samples: 4
          challengeWindow: 10m
          collateral: 1
        deadline: 2h
        """

    /// Writes `change` as the controller does: the orders it finished are retired, archived in the
    /// same write, and leave memory once it is stored.
    func write(_ change: MarketChange, _ market: inout Marketplace, to storage: any MarketStorage) async throws {
        var change = change
        let finished = market.finishedOrders(touchedBy: change)
        change.merge(market.retire(finished))
        var records = StoreFixtures.records(change, market)
        records.archive(finished.compactMap(market.archive(of:)))
        try await storage.write(records, at: now)
        market.evict(finished)
    }

    @Test("a load leaves finished orders out; the archive lists them by submitter and state, in pages", arguments: StoreBackend.available)
    func archive(backend: StoreBackend) async throws {
        try await backend.withScratchStore { store in
            var market = Marketplace(policy: policy)
            let manifest = try JobManifest.parse(Self.manifestText)
            let hash = Hashing.sha256Hex(Self.manifestText)
            let inputs = Set(manifest.workload.storedInputHashes)
            for account in [StoreFixtures.alice, StoreFixtures.bob] {
                var change = try market.mint(StoreFixtures.micros(100_000_000), to: account, now: now)
                for artifact in [hash] + inputs.sorted() {
                    change.merge(try market.recordUpload(hash: artifact, size: 10, by: account, lease: nil, now: now))
                }
                try await write(change, &market, to: store.storage)
            }
            // Alice: orders 1...5, cancelling 1, 3 and 5; Bob: order 6, cancelled.
            for (account, cancel) in [(StoreFixtures.alice, true), (StoreFixtures.alice, false), (StoreFixtures.alice, true),
                                      (StoreFixtures.alice, false), (StoreFixtures.alice, true), (StoreFixtures.bob, true)] {
                let (id, submitted) = try market.submitOrder(manifest: manifest, manifestHash: hash, by: account, storedInputs: inputs, now: now)
                try await write(submitted, &market, to: store.storage)
                if cancel { try await write(try market.cancelOrder(id, by: account, now: now), &market, to: store.storage) }
            }
            #expect(market.orders.keys.sorted() == [2, 4])
            // What the finished orders allowed is kept: their submitters still read the manifest
            // (each uploaded it too, so the readers kept are what is checked).
            #expect(market.artifacts[hash]?.finishedReaders == [StoreFixtures.alice, StoreFixtures.bob])
            #expect(market.artifacts[hash]?.orders == [2, 4])

            let loaded = try await store.storage.load(policy: policy, trust: .startingUp(key: StoreFixtures.treasury)).market
            #expect(loaded.orders.keys.sorted() == [2, 4])
            #expect(loaded.openOrderIDs.count == 2)
            #expect(loaded.artifacts[hash] == market.artifacts[hash])
            #expect(loaded.ledger == market.ledger)
            #expect(loaded.counters == market.counters)

            let kind = MarketDocuments.orderKind
            let all = try await store.storage.archived(Order.self, ArchiveQuery(kind: kind, after: 0, limit: 100))
            #expect(all.map(\.id) == [1, 3, 5, 6])
            #expect(all.allSatisfy { $0.state == .cancelled })
            let alice = try await store.storage.archived(Order.self, ArchiveQuery(kind: kind, after: 0, limit: 2, first: StoreFixtures.alice.hex))
            #expect(alice.map(\.id) == [1, 3])
            let next = try await store.storage.archived(Order.self, ArchiveQuery(kind: kind, after: 3, limit: 2, first: StoreFixtures.alice.hex))
            #expect(next.map(\.id) == [5])
            let either = try await store.storage.archived(Order.self, ArchiveQuery(kind: kind, after: 0, limit: 10, party: StoreFixtures.bob.hex))
            #expect(either.map(\.id) == [6])
            #expect(try await store.storage.archived(ArchiveQuery(kind: kind, after: 0, limit: 10, state: "expired")).isEmpty)
            #expect(try await store.storage.archived(ArchiveQuery(kind: kind, after: 0, limit: 0)).isEmpty)
            #expect(try await store.storage.archived(ArchiveQuery(kind: MarketDocuments.leaseKind, after: 0, limit: 10, parent: 1)).isEmpty)
            // Every combination of filters is served and exact (on SQLite each names an index, which
            // must exist or the query fails).
            let states: [String?] = [nil, "cancelled", "expired"]
            let parties: [String?] = [nil, StoreFixtures.alice.hex, StoreFixtures.bob.hex]
            for state in states {
                for first in parties {
                    for second in [nil, StoreFixtures.carol.hex] {
                        for parent in [nil, 1] as [UInt64?] {
                            let query = ArchiveQuery(kind: kind, after: 0, limit: 10, state: state, first: first, second: second, parent: parent)
                            let expected = second != nil || parent != nil || state == "expired" ? [] as [OrderID]
                                : [1, 3, 5, 6].filter { first == nil || (first == StoreFixtures.bob.hex) == ($0 == 6) }
                            #expect(try await store.storage.archived(Order.self, query).map(\.id) == expected, "\(String(describing: state)) \(String(describing: first)) \(String(describing: second)) \(String(describing: parent))")
                        }
                    }
                }
            }
            // Each finished order is still read by id.
            #expect(try await store.storage.document(Order.self, kind: kind, id: "3")?.state == .cancelled)
        }
    }

    @Test("archived leases list by provider, submitter, either party, order and state, each alone or together", arguments: StoreBackend.available)
    func leaseRows(backend: StoreBackend) async throws {
        try await backend.withScratchStore { store in
            let (alice, bob, carol) = (StoreFixtures.alice.hex, StoreFixtures.bob.hex, StoreFixtures.carol.hex)
            // (lease, state, provider, submitter, order)
            let leases: [(UInt64, String, String, String, UInt64)] = [
                (1, "settled", alice, bob, 1), (2, "slashed", alice, carol, 1), (3, "settled", bob, alice, 2),
                (4, "failed", carol, bob, 3), (5, "settled", alice, bob, 4),
            ]
            var records = MarketRecords()
            for (id, state, provider, submitter, order) in leases {
                let kind = MarketDocuments.leaseKind
                records.archive.append(ArchiveRow(kind: kind, number: id, state: state, first: provider, second: submitter, parent: order))
                records.encoded.append((kind, String(id), #"{"lease":\#(id)}"#))
            }
            try await store.storage.write(records, at: now)
            func ids(first: String? = nil, second: String? = nil, party: String? = nil, parent: UInt64? = nil, state: String? = nil) async throws -> [UInt64] {
                let query = ArchiveQuery(
                    kind: MarketDocuments.leaseKind, after: 0, limit: 10, state: state, first: first, second: second, party: party, parent: parent
                )
                return try await store.storage.archived(query).map { body in UInt64(body.filter(\.isNumber))! }
            }
            #expect(try await ids() == [1, 2, 3, 4, 5])
            #expect(try await ids(second: bob) == [1, 4, 5])
            #expect(try await ids(first: alice, second: bob) == [1, 5])
            #expect(try await ids(first: alice, state: "settled") == [1, 5])
            #expect(try await ids(second: bob, state: "failed") == [4])
            #expect(try await ids(party: bob) == [1, 3, 4, 5])
            #expect(try await ids(party: carol, state: "settled").isEmpty)
            #expect(try await ids(party: alice, parent: 1) == [1, 2])
            #expect(try await ids(parent: 1, state: "slashed") == [2])
            #expect(try await ids(first: bob, second: alice, parent: 2) == [3])
        }
    }
}
