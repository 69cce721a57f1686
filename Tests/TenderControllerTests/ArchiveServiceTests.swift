import Foundation
import Logging
@testable import TenderControllerService
import TenderCore
import TenderStore
import Testing

/// The controller lets finished orders go: archived in the write that finished them, with their
/// pending deadlines, read from the store after, and left out of memory across a restart.
@Suite("Finished orders leave the controller's memory")
struct ArchiveServiceTests {
    let key = KeyPair()
    var policy: MarketPolicy { MarketPolicy(treasury: key.account, auditPool: key.account) }
    static let now = Timestamp(millis: 1_700_000_000_000)
    let submitter = KeyPair().account

    func service(_ storage: any MarketStorage) async throws -> MarketService {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await MarketService(storage: storage, policy: policy, controllerKey: key, clock: { Self.now }, logger: logger)
    }

    /// Funds the submitter and records the synthetic job's manifest and inputs as its uploads.
    func prepare(_ service: MarketService) async throws -> (manifest: JobManifest, hash: String, inputs: Set<String>) {
        let text = MarketPopulator.syntheticManifest(1)
        let manifest = try JobManifest.parse(text)
        let (hash, inputs, submitter) = (Hashing.sha256Hex(text), Set(manifest.workload.storedInputHashes), submitter)
        try await service.perform { market, now throws(MarketplaceError) in
            var change = try market.mint(try! .credits(1_000), to: submitter, now: now)
            for artifact in [hash] + inputs.sorted() {
                change.merge(try market.recordUpload(hash: artifact, size: 10, by: submitter, lease: nil, now: now))
            }
            return ((), change)
        }
        return (manifest, hash, inputs)
    }

    @Test("a cancelled order leaves memory with its auction's deadline; it is read from the store, and a restart loads only open work")
    func cancelledOrders() async throws {
        try await TestStore.withScratch("tender-archive") { store in
            let submitter = submitter
            do {
                let service = try await service(store.storage)
                let job = try await prepare(service)
                for index in 0..<4 {
                    try await service.perform { market, now throws(MarketplaceError) in
                        var (id, change) = try market.submitOrder(
                            manifest: job.manifest, manifestHash: job.hash, by: submitter, storedInputs: job.inputs, now: now
                        )
                        if index.isMultiple(of: 2) { change.merge(try market.cancelOrder(id, by: submitter, now: now)) }
                        return ((), change)
                    }
                }
                let market = await service.snapshot
                #expect(market.orders.keys.sorted() == [2, 4])
                #expect(market.ordersBySubmitter[submitter] == [2, 4])
                let due = await service.dueDeadlines(at: Self.now.adding(seconds: 7 * 86_400))
                #expect(due.map(\.subject).sorted() == [2, 4], "the cancelled orders' auction closes went with them")
                #expect(try await service.order(1)?.state == .cancelled)
                #expect(try await service.orderWithLeases(3)?.order.state == .cancelled)
                #expect(try await service.order(9) == nil)
                // Who submitted a finished order may still name its inputs: it is kept as a reader
                // (it uploaded them too, so `mayRead` alone would pass without that).
                #expect(market.artifacts[job.hash]?.finishedReaders.contains(submitter) == true)
                #expect(market.mayRead(artifact: job.hash, reader: submitter))
            }
            let restarted = try await service(store.storage)
            let market = await restarted.snapshot
            #expect(market.orders.keys.sorted() == [2, 4])
            #expect(await restarted.dueDeadlines(at: Self.now.adding(seconds: 7 * 86_400)).map(\.subject).sorted() == [2, 4])
            let archived = try await store.storage.archived(Order.self, ArchiveQuery(kind: MarketDocuments.orderKind, after: 0, limit: 10))
            #expect(archived.map(\.id) == [1, 3])
        }
    }

    @Test("finished orders a store kept from before the archive are archived when a controller takes over")
    func archivedAtTakeOver() async throws {
        try await TestStore.withScratch("tender-archive") { store in
            let submitter = submitter
            // Written the way an earlier controller wrote: the cancelled order stays a plain record.
            var market = Marketplace(policy: policy)
            let text = MarketPopulator.syntheticManifest(2)
            let manifest = try JobManifest.parse(text)
            var change = try market.mint(try! .credits(1_000), to: submitter, now: Self.now)
            for artifact in [Hashing.sha256Hex(text)] + manifest.workload.storedInputHashes {
                change.merge(try market.recordUpload(hash: artifact, size: 10, by: submitter, lease: nil, now: Self.now))
            }
            let (id, submitted) = try market.submitOrder(
                manifest: manifest, manifestHash: Hashing.sha256Hex(text), by: submitter,
                storedInputs: Set(manifest.workload.storedInputHashes), now: Self.now
            )
            change.merge(submitted)
            change.merge(try market.cancelOrder(id, by: submitter, now: Self.now))
            change.journal = try change.journal.map { try $0.signed(by: key) }
            try await store.storage.write(MarketRecords(change: change, market: market), at: Self.now)
            #expect(try await store.storage.load(policy: policy, trust: .startingUp(key: key.account)).market.orders.count == 1)

            let service = try await service(store.storage)
            #expect(await service.snapshot.orders.isEmpty)
            #expect(await service.dueDeadlines(at: Self.now.adding(seconds: 7 * 86_400)).isEmpty)
            #expect(try await store.storage.load(policy: policy, trust: .startingUp(key: key.account)).market.orders.isEmpty)
            #expect(try await service.order(id)?.state == .cancelled)
        }
    }
}
