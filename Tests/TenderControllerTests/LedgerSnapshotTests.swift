import Foundation
import Logging
@testable import TenderControllerService
import TenderCore
import TenderStore

import Testing

/// Start-up resumes the ledger from a stored snapshot and replays only the tail (performance
/// issue: start-up replayed the whole journal each time).
@Suite("Ledger snapshots")
struct LedgerSnapshotTests {
    let key = KeyPair()
    var policy: MarketPolicy { MarketPolicy(treasury: key.account, auditPool: key.account) }

    func service(_ storage: any MarketStorage, interval: UInt64) async throws -> MarketService {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await MarketService(
            storage: storage, policy: policy, controllerKey: key, clock: { Timestamp(millis: 1_700_000_000_000) },
            logger: logger, snapshotInterval: interval
        )
    }

    /// 60 writes with a snapshot every 16 entries: a restart replays only the entries after the
    /// last snapshot stored and ends with exactly the ledger a full replay of the journal gives.
    @Test("a snapshot plus the journal's tail gives the same ledger as replaying the whole journal")
    func snapshotPlusTailEqualsFullReplay() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-snapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try await TestStore.make(in: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let accounts = (0..<6).map { _ in KeyPair().account }
        do {
            let service = try await service(store.storage, interval: 16)
            for (index, account) in accounts.enumerated() {
                _ = try await service.perform { market, now throws(MarketplaceError) in ((), try market.mint(try! .credits(100), to: account, now: now)) }
                for step in 0..<9 {
                    let to = accounts[(index + 1 + step % 5) % accounts.count]
                    _ = try await service.perform { market, now throws(MarketplaceError) in
                        ((), try market.transfer(try! Amount(micros: Int64(step + 1)), from: account, to: to, now: now))
                    }
                }
            }
        }
        let full = try Ledger.replay(try await store.storage.wholeJournal())
        #expect(full.sequence == 60)
        // The snapshot is stored behind the writes it describes; wait for it.
        var stored: Signed<Ledger.Snapshot>?
        for _ in 0..<100 {
            stored = try await store.storage.document(Signed<Ledger.Snapshot>.self, kind: MarketDocuments.snapshotKind, id: MarketDocuments.snapshotID)
            if let stored, try stored.verified().sequence >= 48 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let snapshot = try #require(stored).verified()
        #expect(try #require(stored).signer == key.account)
        #expect(snapshot.sequence >= 16 && snapshot.sequence < 60)

        let restarted = try await service(store.storage, interval: 16)
        #expect(restarted.startup.snapshotSequence == snapshot.sequence)
        #expect(restarted.startup.replayed == Int(60 - snapshot.sequence))
        #expect(await restarted.snapshot.ledger == full)
        await store.discard()
    }

    /// A snapshot claiming a fortune: signed by another key, or by the controller's own key but
    /// resting on a head hash the journal does not have. Both are ignored.
    @Test("a snapshot that is not the controller's, or does not belong to the journal, is ignored and the whole journal replayed")
    func foreignSnapshotIsIgnored() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-snapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try await TestStore.make(in: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = store.storage
        let rich = KeyPair().account
        do {
            let service = try await service(storage, interval: 1_000)
            for _ in 0..<5 {
                _ = try await service.perform { market, now throws(MarketplaceError) in ((), try market.mint(try! .credits(1), to: rich, now: now)) }
            }
        }
        let journal = try await storage.wholeJournal()
        var forged = Ledger()
        _ = try forged.apply(.mint(to: rich, amount: .credits(1_000_000)), at: Timestamp(millis: 1_700_000_000_000))
        let fake = forged.snapshot
        let onTheJournal = Ledger.Snapshot(
            sequence: 3, headHash: journal[2].hash, lastTime: fake.lastTime, minted: fake.minted, burned: fake.burned,
            accounts: fake.accounts, holds: fake.holds, unbonding: fake.unbonding
        )
        let offTheJournal = Ledger.Snapshot(
            sequence: 3, headHash: fake.headHash, lastTime: fake.lastTime, minted: fake.minted, burned: fake.burned,
            accounts: fake.accounts, holds: fake.holds, unbonding: fake.unbonding
        )
        for (snapshot, signer) in [(onTheJournal, KeyPair()), (offTheJournal, key)] {
            let json = try MarketService.encodeSnapshot(snapshot, signedBy: signer)
            try await storage.write(.snapshot(json: json), at: Timestamp(millis: 0))
            let restarted = try await service(storage, interval: 1_000)
            #expect(restarted.startup.snapshotSequence == nil)
            #expect(restarted.startup.replayed == 5)
            #expect(await restarted.snapshot.ledger.balances(of: rich).available == (try Amount.credits(5)))
        }
        // The same snapshot signed by the controller and on the journal is taken at its word: the
        // signature is what stands between the database and the balances.
        let json = try MarketService.encodeSnapshot(onTheJournal, signedBy: key)
        try await storage.write(.snapshot(json: json), at: Timestamp(millis: 0))
        let trusting = try await service(storage, interval: 1_000)
        #expect(trusting.startup.snapshotSequence == 3)
        await store.discard()
    }
}
