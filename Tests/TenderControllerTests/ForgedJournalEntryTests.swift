import Foundation
import GRDB
import Testing
import TenderClient
import TenderCore
import TenderStore

/// The attack on a stopped controller's database: recompute the hash chain and append a transfer
/// between two users, signed with the controller's own key (which sits in the data directory by
/// default). Only the users' signed requests can tell it apart, and `ledger verify` must.
@Suite("forged journal entries", .serialized)
struct ForgedJournalEntryTests {
    @Test("a transfer appended to the database with a correct chain and the controller's key fails ledger verify")
    func forgedTransfer() async throws {
        let executable = try #require(ControllerProcess.executable)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-forged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("db.sqlite")
        let controller = try ControllerProcess(executable: executable, database: database)
        defer { controller.cleanUp() }
        try await controller.start()

        let alice = KeyPair(), bob = KeyPair()
        let base = try TenderAPIClient(baseURL: controller.baseURL, timeout: 10)
        _ = try await base.signing(with: alice).faucet(try .credits(50))
        _ = try await base.signing(with: bob).faucet(try .credits(5))
        _ = try await base.signing(with: alice).transfer(try .credits(1), to: bob.account)
        #expect(try await base.auditLedger().isValid, "the honest journal must verify first")
        await controller.kill()

        // The attacker: replay the journal, apply a transfer from alice to bob, seal and sign it.
        let key = try KeyPair(rawPrivateKey: try #require(Data(base64Encoded: try String(
            contentsOf: directory.appendingPathComponent("controller.key"), encoding: .utf8
        ).trimmingCharacters(in: .whitespacesAndNewlines))))
        let store = try TenderDatabase(path: database)
        let entries = try await store.read { db in try JournalStore.all(in: db) }
        var ledger = try Ledger.replay(entries)
        let forged = try ledger.apply(.transfer(from: alice.account, to: bob.account, amount: .credits(40)), at: .init(millis: Int64(Date().timeIntervalSince1970 * 1000)))
        try await store.queue.write { db in try JournalStore.append([try forged.signed(by: key)], in: db) }
        try store.close()

        try await controller.start()
        let audit = try await base.auditLedger()
        #expect(!audit.isValid)
        #expect(audit.problems.contains { $0.contains("is not what anyone asked for") && $0.contains("without a signed request") },
                "\(audit.problems)")
        await controller.kill()
    }
}
