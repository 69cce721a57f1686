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
    /// A controller on a fresh database in `directory`, after alice and bob were funded and alice
    /// paid bob, stopped; the journal as it stands, and the ledger it replays to.
    private static func honestMarketStopped(in directory: URL) async throws
        -> (controller: ControllerProcess, alice: KeyPair, bob: KeyPair, client: TenderAPIClient, ledger: Ledger)
    {
        let executable = try #require(ControllerProcess.executable)
        let database = directory.appendingPathComponent("db.sqlite")
        let controller = try ControllerProcess(executable: executable, database: database)
        try await controller.start()
        let alice = KeyPair(), bob = KeyPair()
        let base = try TenderAPIClient(baseURL: controller.baseURL, timeout: 10)
        _ = try await base.signing(with: alice).faucet(try .credits(50))
        _ = try await base.signing(with: bob).faucet(try .credits(5))
        _ = try await base.signing(with: alice).transfer(try .credits(1), to: bob.account)
        #expect(try await base.auditLedger().isValid, "the honest journal must verify first")
        await controller.kill()
        let store = try TenderDatabase(path: database)
        defer { try? store.close() }
        let entries = try await store.read { db in try JournalStore.all(in: db) }
        return (controller, alice, bob, base, try Ledger.replay(entries))
    }

    /// Appends `entry` to the stopped controller's journal, as someone with the file would.
    private static func append(_ entry: JournalEntry, to controller: ControllerProcess) async throws {
        let store = try TenderDatabase(path: controller.database)
        try await store.queue.write { db in try JournalStore.append([entry], in: db) }
        try store.close()
    }

    private static func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-forged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("a transfer appended to the database with a correct chain and the controller's key fails ledger verify")
    func forgedTransfer() async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var (controller, alice, bob, base, ledger) = try await Self.honestMarketStopped(in: directory)
        defer { controller.cleanUp() }

        // The attacker: replay the journal, apply a transfer from alice to bob, seal and sign it.
        let key = try KeyPair(rawPrivateKey: try #require(Data(base64Encoded: try String(
            contentsOf: directory.appendingPathComponent("controller.key"), encoding: .utf8
        ).trimmingCharacters(in: .whitespacesAndNewlines))))
        let forged = try ledger.apply(.transfer(from: alice.account, to: bob.account, amount: .credits(40)), at: .init(millis: Int64(Date().timeIntervalSince1970 * 1000)))
        try await Self.append(try forged.signed(by: key), to: controller)

        try await controller.start()
        let audit = try await base.auditLedger()
        #expect(!audit.isValid)
        #expect(audit.problems.contains { $0.contains("is not what anyone asked for") && $0.contains("without a signed request") },
                "\(audit.problems)")
        await controller.kill()
    }

    /// Without the key, an attacker could append entries the controller itself would then vouch
    /// for with the next head it signs (it signs each commit's last entry, not every entry); so a
    /// controller does not start on a journal that ends unsigned.
    @Test("an unsigned entry appended to the database stops the controller from starting, naming it")
    func unsignedTail() async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var (controller, _, bob, _, ledger) = try await Self.honestMarketStopped(in: directory)
        defer { controller.cleanUp() }
        let forged = try ledger.apply(.mint(to: bob.account, amount: .credits(1_000)), at: .init(millis: Int64(Date().timeIntervalSince1970 * 1000)))
        try await Self.append(forged, to: controller)

        do {
            try await controller.start()
            Issue.record("the controller started on a journal that ends on an unsigned entry")
        } catch {
            #expect(String(describing: error).contains("journal entries \(forged.sequence) through \(forged.sequence) carry no controller signature"), "\(error)")
        }
    }
}
