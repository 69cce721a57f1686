import Foundation
import Synchronization
import Testing
import TenderClient
import TenderCore
#if canImport(Glibc)
import Glibc
#endif

/// Three controller processes on one PostgreSQL database; 16 signed writers send through any of
/// them while the leader is killed with SIGKILL, again and again. Every acknowledged write is in
/// the journal exactly once, the ledger verifies, and writes resume through a new leader.
@Suite("Several controllers on one database: failover", .serialized, .enabled(
    if: TestStore.usesPostgres && TestStore.postgresServer != nil && ControllerProcess.executable != nil,
    "runs in the PostgreSQL pass (TENDER_TEST_STORE=postgres, TENDER_TEST_POSTGRES) with a built tender-controller"
))
struct FailoverTests {
    static let writers = 16
    static let kills = 3

    /// What one writer sent and what it was told.
    struct Writer: Sendable {
        var payer: KeyPair
        var recipient = KeyPair().account
        var amount: Amount
        var funded = false
        /// Journal sequences of acknowledged transfers.
        var acknowledged: [UInt64] = []
        /// Transfers with no answer or a failure: each may or may not have landed.
        var unanswered = 0
    }

    @Test("the leader killed with SIGKILL three times under 16 signed writers: no acknowledged write lost or doubled, the ledger verifies, writes resume")
    func leaderKilledUnderLoad() async throws {
        let executable = try #require(ControllerProcess.executable)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-failover-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await TestStore.postgresDatabase(in: directory)
        let controllers = try (0..<3).map { index in
            let home = directory.appendingPathComponent("c\(index)")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            return try ControllerProcess(
                executable: executable, database: home.appendingPathComponent("unused.sqlite"), db: store.db, arguments: store.arguments
            )
        }
        defer { controllers.forEach { $0.cleanUp() } }
        for controller in controllers { try await controller.start() }

        let acks = AckLog()
        let bases = controllers.map(\.baseURL)
        var resumptions: [Duration] = []
        var stalled = Duration.zero
        let runs = try await withThrowingTaskGroup(of: Writer.self) { group in
            for index in 0..<Self.writers {
                let amount = try Amount(micros: Int64(2_000 + index))
                group.addTask { await Self.write(amount: amount, through: bases, acks: acks, seed: UInt64(index)) }
            }
            // Writes flow, then the leader dies; it comes back as a follower while another leads.
            for _ in 0..<Self.kills {
                try await acks.waitForNext(after: .now, within: .seconds(30))
                try await Task.sleep(for: .milliseconds(700))
                let leader = try #require(try await Self.leader(among: controllers), "no controller says it leads")
                await leader.kill()
                // Measured from the moment the process is gone: an answer it sent before dying
                // and read a moment later does not count as resumed.
                let killedAt = ContinuousClock.now
                let resumed = try await acks.waitForNext(after: killedAt, within: .seconds(30))
                resumptions.append(resumed - killedAt)
                try await leader.start()
            }
            // A leader that is alive but stuck (SIGSTOP) is fenced: its heartbeat goes stale, a
            // follower ends its database session and leads; woken up, it follows.
            try await acks.waitForNext(after: .now, within: .seconds(30))
            let stuck = try #require(try await Self.leader(among: controllers), "no controller says it leads")
            stuck.send(SIGSTOP)
            let stoppedAt = ContinuousClock.now
            // Answers it sent before it stopped are read within moments; after that, only a new
            // leader can acknowledge anything.
            try await Task.sleep(for: .milliseconds(500))
            let resumed = try await acks.waitForNext(after: .now, within: .seconds(60))
            stalled = resumed - stoppedAt
            stuck.send(SIGCONT)
            try await Task.sleep(for: .seconds(1))
            let stuckRole = try? await TenderAPIClient(baseURL: stuck.baseURL, timeout: 5).health().role
            #expect(stuckRole == "follower", "a fenced leader that wakes up follows")
            try await Task.sleep(for: .milliseconds(500))
            acks.stop()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // How long each took is reported, not asserted (the waits above bound it): a loaded
        // machine must not fail a test that is about correctness.
        print("failover: writes resumed \(resumptions.map { String(format: "%.2f s", Double($0 / .milliseconds(1)) / 1_000) }) after each SIGKILL of the leader")
        print("failover: a stopped leader was fenced and writes resumed after \(String(format: "%.2f s", Double(stalled / .milliseconds(1)) / 1_000))")

        // Any controller answers reads; the journal is the leader's, verified end to end.
        let reader = try TenderAPIClient(baseURL: bases[0], timeout: 20)
        try await Task.sleep(for: .seconds(1))
        let audit = try await reader.auditLedger()
        #expect(audit.isValid, "\(audit.problems.prefix(5))")
        let entries = try await reader.journalEntries()
        // No signed request applied twice: every (account, nonce) appears once.
        var requests = Set<String>()
        for entry in entries {
            guard let request = entry.request else { continue }
            #expect(requests.insert("\(request.account.hex)/\(request.nonce)").inserted, "request \(request.account.short)/\(request.nonce) applied twice")
        }
        let bySequence = Dictionary(entries.map { ($0.sequence, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(runs.contains { !$0.acknowledged.isEmpty })
        for run in runs where run.funded {
            let received = try await reader.account(run.recipient).balances.available.micros
            let low = Int64(run.acknowledged.count) * run.amount.micros
            let high = Int64(run.acknowledged.count + run.unanswered) * run.amount.micros
            #expect((low...high).contains(received) && received % run.amount.micros == 0,
                    "recipient has \(received); \(run.acknowledged.count) acknowledged, \(run.unanswered) unanswered of \(run.amount)")
            #expect(Set(run.acknowledged).count == run.acknowledged.count)
            for sequence in run.acknowledged {
                let entry = try #require(bySequence[sequence], "acknowledged journal entry \(sequence) is missing")
                #expect(entry.operation == .transfer(from: run.payer.account, to: run.recipient, amount: run.amount))
            }
        }
    }

    /// One writer: funds itself, then sends transfers through a random controller each time,
    /// going on after failures (each counted as unanswered) until told to stop.
    static func write(amount: Amount, through bases: [URL], acks: AckLog, seed: UInt64) async -> Writer {
        let payer = KeyPair()
        var run = Writer(payer: payer, amount: amount)
        var generator = SplitMix64(seed: 0xFA11_0000 + seed)
        guard let clients = try? bases.map({ try TenderAPIClient(baseURL: $0, key: payer, timeout: 10) }) else { return run }
        while !acks.isStopped {
            let client = clients[Int(generator.next() % UInt64(clients.count))]
            if !run.funded {
                // A faucet that fails may have landed: the writer is funded when its balance says so.
                if (try? await client.faucet(Amount.credits(1_000))) != nil { run.funded = true }
                else if let view = try? await client.account(payer.account), view.balances.available.micros > 0 { run.funded = true }
                else { try? await Task.sleep(for: .milliseconds(100)) }
                continue
            }
            do {
                let receipt = try await client.transfer(amount, to: run.recipient)
                run.acknowledged += receipt.journal
                acks.record()
            } catch {
                run.unanswered += 1
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        return run
    }

    /// The controller whose health says it leads, if one does.
    static func leader(among controllers: [ControllerProcess]) async throws -> ControllerProcess? {
        for _ in 0..<100 {
            for controller in controllers where controller.isRunning {
                let client = try TenderAPIClient(baseURL: controller.baseURL, timeout: 2)
                if (try? await client.health())?.role == "leader" { return controller }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// When writes were acknowledged, across every writer, and when the writers are to stop.
    final class AckLog: Sendable {
        private let times = Mutex<[ContinuousClock.Instant]>([])
        private let stopped = Mutex(false)

        var isStopped: Bool { stopped.withLock { $0 } }
        func stop() { stopped.withLock { $0 = true } }

        func record() { times.withLock { $0.append(.now) } }

        /// The first acknowledgement after `instant`, waiting for it at most `limit`.
        @discardableResult
        func waitForNext(after instant: ContinuousClock.Instant, within limit: Duration) async throws -> ContinuousClock.Instant {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if let next = times.withLock({ $0.last(where: { $0 > instant }) }) {
                    return times.withLock { $0.first(where: { $0 > instant }) } ?? next
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw HarnessFailure("no write was acknowledged within \(limit)")
        }
    }
}
