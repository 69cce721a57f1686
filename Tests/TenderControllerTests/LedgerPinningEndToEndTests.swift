import Foundation
import GRDB
import Testing
import TenderClient
import TenderCore

/// The attack of the hardening issue, with real processes: with the controller stopped, someone who
/// can write its data directory drops the journal's delete trigger, deletes the last entries and
/// (in the first case) replaces the controller's key. `tender ledger verify` passed on such a ledger;
/// against the pin it kept from an earlier run, it must now fail.
@Suite("Ledger pinning end to end", .serialized, .enabled(if: ControllerProcess.executable != nil && CLIProcess.executable != nil,
       "needs the tender-controller and tender builds (swift build --build-tests)"))
struct LedgerPinningEndToEndTests {
    /// A controller whose key file lives in `secrets/`, outside its data directory `data/`, a
    /// `TENDER_HOME` for the CLI, and a funded account that makes signed writes.
    final class Site: @unchecked Sendable {
        // @unchecked: every member is set in `init` and only read afterwards by the one test that owns it.
        let directory: URL
        let home: URL
        let data: URL
        let keyFile: URL
        let controller: ControllerProcess
        let alice: TenderAPIClient
        let reader: TenderAPIClient

        init() throws {
            let executable = try #require(ControllerProcess.executable)
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-pin-\(UUID().uuidString)")
            home = directory.appendingPathComponent("home")
            data = directory.appendingPathComponent("data")
            keyFile = directory.appendingPathComponent("secrets/controller.key")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            controller = try ControllerProcess(
                executable: executable, database: data.appendingPathComponent("tender.sqlite"), arguments: ["--key-file", keyFile.path]
            )
            alice = try TenderAPIClient(baseURL: controller.baseURL, key: KeyPair(), timeout: 10)
            reader = try TenderAPIClient(baseURL: controller.baseURL, timeout: 10)
        }

        func cleanUp() {
            controller.cleanUp()
            try? FileManager.default.removeItem(at: directory)
        }

        /// `tender-controller keygen --key-file url`; the account of the key it wrote.
        func keygen(_ url: URL) async throws -> AccountID {
            let run = try await ControllerProcess.run(
                ["keygen", "--key-file", url.path], log: directory.appendingPathComponent("keygen-\(UUID().uuidString).log")
            )
            #expect(run.status == 0, "\(run.output)")
            let text = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let raw = try #require(Data(base64Encoded: text))
            let account = try KeyPair(rawPrivateKey: raw).account
            #expect(run.output.contains(account.hex), "keygen prints the account: \(run.output)")
            return account
        }

        /// Signed writes: `count` transfers from alice. The head's sequence after them.
        func transfers(_ count: Int) async throws -> UInt64 {
            let bob = KeyPair().account
            for _ in 0..<count { _ = try await alice.transfer(Amount.credits(1), to: bob) }
            return try await reader.ledgerHead().verified().sequence
        }

        /// `tender ledger verify` as a user runs it, with this site's `TENDER_HOME`.
        func verify(_ extra: [String] = []) throws -> (status: Int32, output: String) {
            try CLIProcess.run(["ledger", "verify"] + extra, home: home, controller: controller.baseURL)
        }

        /// What the attacker did to the stopped controller's database: drop the trigger that refuses
        /// deletes on the journal, then delete every entry after `sequence`.
        func truncateJournal(keeping sequence: UInt64) throws {
            let database = try DatabaseQueue(path: controller.database.path)
            try database.write { db in
                try db.execute(sql: "DROP TRIGGER journal_no_delete")
                try db.execute(sql: "DELETE FROM journal WHERE sequence > ?", arguments: [Int64(sequence)])
            }
            try database.close()
        }

        /// The pin the CLI keeps for this controller.
        func pin() throws -> ControllerPin? {
            try ControllerPinStore(directory: ControllerPinStore.defaultDirectory(environment: ["TENDER_HOME": home.path]))
                .load(controller: ControllerPin.identity(of: controller.baseURL))
        }
    }

    /// A pinned site: the key made by keygen, the controller started on it, writes made, and a first
    /// verification that pinned the key. Returns the key's account and the head after a second
    /// verification (which only moved the pinned head forward).
    func pinnedSite(_ site: Site) async throws -> (AccountID, UInt64) {
        let original = try await site.keygen(site.keyFile)
        try await site.controller.start()
        #expect(try await site.reader.health().controller == original)
        let dataKey = site.data.appendingPathComponent("controller.key")
        #expect(!FileManager.default.fileExists(atPath: dataKey.path), "no key was made in the data directory")

        _ = try await site.alice.faucet(Amount.credits(100))
        _ = try await site.transfers(4)
        let first = try site.verify()
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("ledger OK"), "\(first.output)")
        #expect(first.output.contains("pinned controller key \(original.hex) on first use"), "\(first.output)")
        let pinFile = ControllerPinStore(directory: site.home.appendingPathComponent("controllers"))
            .fileURL(for: ControllerPin.identity(of: site.controller.baseURL))
        let attributes = try FileManager.default.attributesOfItem(atPath: pinFile.path)
        let mode = try #require(attributes[.posixPermissions] as? NSNumber).intValue
        #expect(mode & 0o777 == 0o600)

        let head = try await site.transfers(2)
        let second = try site.verify()
        #expect(second.status == 0, "\(second.output)")
        #expect(!second.output.contains("on first use"), "\(second.output)")
        #expect(try site.pin()?.head.sequence == head)
        return (original, head)
    }

    @Test("a new key over a truncated journal fails ledger verify, naming both keys; --accept-new-key does not excuse the rollback")
    func replacedKeyAndTruncatedJournal() async throws {
        let site = try Site()
        defer { site.cleanUp() }
        let (original, head) = try await pinnedSite(site)

        await site.controller.kill()
        try site.truncateJournal(keeping: head - 3)
        let staged = site.directory.appendingPathComponent("attacker/controller.key")
        let replacement = try await site.keygen(staged)
        try FileManager.default.removeItem(at: site.keyFile)
        try FileManager.default.moveItem(at: staged, to: site.keyFile)
        // Whoever swapped the key also says it was rotated on purpose.
        site.controller.arguments.append("--accept-new-key")
        try await site.controller.start()
        #expect(try await site.reader.health().controller == replacement)
        // The new key cannot have signed the entries that are left: they were signed by the
        // original one, which only a client that remembers it may trust.
        let plain = try await site.reader.auditLedger()
        #expect(plain.problems.contains { $0.contains("carries a signature that is not the controller's key's") }, "\(plain.problems)")

        let attacked = try site.verify()
        #expect(attacked.status == 1, "\(attacked.output)")
        #expect(attacked.output.contains("ledger verification FAILED"), "\(attacked.output)")
        #expect(attacked.output.contains("the controller's key changed"), "\(attacked.output)")
        #expect(attacked.output.contains(original.hex) && attacked.output.contains(replacement.hex), "\(attacked.output)")
        #expect(attacked.output.contains("--accept-new-key"), "\(attacked.output)")
        #expect(attacked.output.contains("rolled back"), "\(attacked.output)")

        let accepted = try site.verify(["--accept-new-key"])
        #expect(accepted.status == 1, "\(accepted.output)")
        #expect(accepted.output.contains("rolled back"), "\(accepted.output)")
        #expect(!accepted.output.contains("re-pinned"), "\(accepted.output)")
        let pin = try #require(try site.pin())
        #expect(pin.account == original)
        #expect(pin.head.sequence == head)
    }

    @Test("the same key over a truncated journal is a rollback, and writes past the old head make it a fork")
    func truncatedJournalSameKey() async throws {
        let site = try Site()
        defer { site.cleanUp() }
        let (original, head) = try await pinnedSite(site)

        await site.controller.kill()
        try site.truncateJournal(keeping: head - 3)
        try await site.controller.start()
        // The controller signs a head over whatever journal it finds at start.
        #expect(try await site.reader.ledgerHead().verified().sequence == head - 3)

        let rolledBack = try site.verify()
        #expect(rolledBack.status == 1, "\(rolledBack.output)")
        #expect(rolledBack.output.contains("rolled back"), "\(rolledBack.output)")
        #expect(!rolledBack.output.contains("key changed"), "\(rolledBack.output)")

        // New writes carry the journal past the remembered head, over different entries.
        #expect(try await site.transfers(5) > head)
        let forked = try site.verify()
        #expect(forked.status == 1, "\(forked.output)")
        #expect(forked.output.contains("forked"), "\(forked.output)")
        #expect(try site.pin()?.account == original)
        #expect(try site.pin()?.head.sequence == head)
    }

    @Test("a rotated key is refused until --accept-new-key re-pins it, and then verifies")
    func deliberateRotation() async throws {
        let site = try Site()
        defer { site.cleanUp() }
        let (original, _) = try await pinnedSite(site)

        await site.controller.kill()
        let staged = site.directory.appendingPathComponent("rotated/controller.key")
        let rotated = try await site.keygen(staged)
        try FileManager.default.removeItem(at: site.keyFile)
        try FileManager.default.moveItem(at: staged, to: site.keyFile)
        // The controller itself will not sign with a new key over the old one's journal unless told.
        let port = try #require(FreePort.next())
        let unsaid = try await ControllerProcess.run(
            ["serve", "--dev", "--listen", "127.0.0.1:\(port)", "--db", site.controller.db, "--config", "/nonexistent"] + site.controller.arguments,
            log: site.directory.appendingPathComponent("serve-new-key.log")
        )
        #expect(unsaid.status == 2, "\(unsaid.output)")
        #expect(unsaid.output.contains("is not signed by this controller's key (account \(rotated.hex))"), "\(unsaid.output)")
        #expect(unsaid.output.contains("--accept-new-key"), "\(unsaid.output)")
        site.controller.arguments.append("--accept-new-key")
        try await site.controller.start()

        let refused = try site.verify()
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.output.contains("the controller's key changed"), "\(refused.output)")

        let accepted = try site.verify(["--accept-new-key"])
        #expect(accepted.status == 0, "\(accepted.output)")
        #expect(accepted.output.contains("re-pinned the controller key"), "\(accepted.output)")
        #expect(accepted.output.contains(original.hex) && accepted.output.contains(rotated.hex), "\(accepted.output)")
        #expect(try site.pin()?.account == rotated)

        let after = try site.verify()
        #expect(after.status == 0, "\(after.output)")
    }

    @Test("a signed journal whose key is not beside it stops serve with where to put it, and no key is made there")
    func missingKeyForSignedJournal() async throws {
        let site = try Site()
        defer { site.cleanUp() }
        let (original, _) = try await pinnedSite(site)
        await site.controller.kill()

        // Served without --key-file, the database's default key place is empty (its key was kept
        // in secrets/ all along).
        let dataKey = site.data.appendingPathComponent("controller.key")
        let port = try #require(FreePort.next())
        let serve = ["serve", "--dev", "--listen", "127.0.0.1:\(port)", "--db", site.controller.db, "--config", "/nonexistent"]
        let run = try await ControllerProcess.run(serve, log: site.directory.appendingPathComponent("serve-no-key.log"))
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("there is no controller key at \(dataKey.path)"), "\(run.output)")
        #expect(run.output.contains("--key-file") && run.output.contains("--accept-new-key"), "\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: dataKey.path))

        // Starting over on purpose makes the key there, and it signs from then on.
        site.controller.arguments = ["--accept-new-key"]
        try await site.controller.start()
        let now = try await site.reader.health().controller
        #expect(now != original)
        #expect(FileManager.default.fileExists(atPath: dataKey.path))
    }

    @Test("a damaged controller.key beside the database stops serve, named, and is never replaced by a new key")
    func damagedDefaultKey() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-badkey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try #require(FreePort.next())
        let database = directory.appendingPathComponent("tender.sqlite")
        let keyFile = directory.appendingPathComponent("controller.key")
        let damaged = Data("not a key, half of one was lost\n".utf8)
        try damaged.write(to: keyFile)
        let run = try await ControllerProcess.run(
            ["serve", "--dev", "--listen", "127.0.0.1:\(port)", "--db", database.path, "--config", "/nonexistent"],
            log: directory.appendingPathComponent("serve.log")
        )
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("\(keyFile.path) is not a controller key"), "\(run.output)")
        #expect(FileManager.default.contents(atPath: keyFile.path) == damaged)
    }

    @Test("serve refuses to start when --key-file names a missing file, says how to make one, and leaves no database")
    func missingKeyFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-nokey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try #require(FreePort.next())
        let database = directory.appendingPathComponent("data/tender.sqlite")
        let missing = directory.appendingPathComponent("secrets/controller.key")
        let run = try await ControllerProcess.run(
            ["serve", "--dev", "--listen", "127.0.0.1:\(port)", "--db", database.path, "--config", "/nonexistent", "--key-file", missing.path],
            log: directory.appendingPathComponent("serve.log")
        )
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("tender-controller keygen --key-file \(missing.path)"), "\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: missing.path))
        #expect(!FileManager.default.fileExists(atPath: database.path))

        // keygen never overwrites a key.
        let made = try await ControllerProcess.run(["keygen", "--key-file", missing.path], log: directory.appendingPathComponent("keygen.log"))
        #expect(made.status == 0, "\(made.output)")
        let before = try Data(contentsOf: missing)
        let again = try await ControllerProcess.run(["keygen", "--key-file", missing.path], log: directory.appendingPathComponent("keygen-again.log"))
        #expect(again.status == 2, "\(again.output)")
        #expect(try Data(contentsOf: missing) == before)
    }
}
