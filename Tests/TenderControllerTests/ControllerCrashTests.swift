import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing
import TenderClient
import TenderCore

/// `kill -9` in the middle of concurrent signed writes, then a restart on the same database
/// (DESIGN section 10): every acknowledged write is there and the ledger verifies.
///
/// These tests run the real `tender-controller` executable as a child process. `swift build`
/// (and `swift build --build-tests`, which CI runs first) builds it; without it they are skipped.
@Suite("Controller crash recovery", .serialized, .enabled(if: ControllerProcess.executable != nil,
                                                          "build the controller first: swift build --product tender-controller"))
struct ControllerCrashTests {
    static let clientsPerCycle = 16
    static let cycles = 5
    static let faucetAmount: Amount = (try? Amount.credits(1_000)) ?? .zero

    /// What one client of the burst sent, and what the controller acknowledged.
    struct ClientRun: Sendable {
        var payer: KeyPair
        var recipient: AccountID
        /// Each transfer this client makes moves this much; a different amount per client.
        var amount: Amount
        var faucetAcknowledged = false
        /// Journal sequences of every acknowledged transfer, one receipt per transfer.
        var acknowledged: [[UInt64]] = []
        /// True when the last request never got an answer: it may or may not have landed.
        var lastUnanswered = false
        /// Answers that were neither a success nor a lost connection.
        var unexpected: [String] = []

        var acknowledgedTotal: Int64 { Int64(acknowledged.count) * amount.micros }
    }

    @Test("kill -9 during a burst of signed writes loses no acknowledged write, over five kill/restart cycles")
    func killDuringBurst() async throws {
        let executable = try #require(ControllerProcess.executable)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await TestStore.controllerDatabase(in: directory)
        let controller = try ControllerProcess(
            executable: executable, database: directory.appendingPathComponent("db.sqlite"), db: store.db, arguments: store.arguments
        )
        defer { controller.cleanUp() }

        var generator = SplitMix64(seed: 0x7E2D_E2C4_A5B1)
        var runs: [ClientRun] = []
        /// The recipient balance found after the first restart that followed a client's run.
        var settled: [AccountID: Int64] = [:]
        for cycle in 0..<Self.cycles {
            try await controller.start()
            let killAfter = Duration.milliseconds(Int.random(in: 150...900, using: &generator))
            let base = controller.baseURL
            let acknowledged = Tally()
            let burst = try await withThrowingTaskGroup(of: ClientRun.self) { group in
                for index in 0..<Self.clientsPerCycle {
                    let amount = try Amount(micros: Int64(1_000 + index))
                    group.addTask { try await Self.drive(base: base, amount: amount, acknowledged: acknowledged) }
                }
                // The kill lands mid-burst: after the first transfer is acknowledged (a loaded
                // machine may take a while to get there), plus a random delay.
                let started = ContinuousClock.now
                while acknowledged.count == 0 && ContinuousClock.now - started < .seconds(20) {
                    try await Task.sleep(for: .milliseconds(10))
                }
                try await Task.sleep(for: killAfter)
                await controller.kill()
                var runs: [ClientRun] = []
                for try await run in group { runs.append(run) }
                return runs
            }
            runs += burst
            #expect(burst.allSatisfy { $0.unexpected.isEmpty }, "cycle \(cycle): \(burst.flatMap(\.unexpected).prefix(5))")

            try await controller.start()
            try await Self.check(runs, settled: &settled, base: base, cycle: cycle)
            await controller.kill()
        }
        #expect(runs.contains { !$0.acknowledged.isEmpty }, "no transfer was ever acknowledged: the burst proved nothing")
    }

    /// One client: faucet into its own account, then transfers to its own recipient, one at a time,
    /// until the controller stops answering.
    static func drive(base: URL, amount: Amount, acknowledged: Tally) async throws -> ClientRun {
        let payer = KeyPair()
        var run = ClientRun(payer: payer, recipient: KeyPair().account, amount: amount)
        let client = try TenderAPIClient(baseURL: base, key: payer, timeout: 20)
        do {
            _ = try await client.faucet(faucetAmount)
            run.faucetAcknowledged = true
        } catch {
            record(error, in: &run)
            return run
        }
        // Far more than the burst lasts; the loop ends when the process dies.
        for _ in 0..<100_000 {
            do {
                let receipt = try await client.transfer(amount, to: run.recipient)
                run.acknowledged.append(receipt.journal)
                acknowledged.add()
            } catch {
                record(error, in: &run)
                return run
            }
        }
        return run
    }

    /// Acknowledged transfers across every client of a burst.
    final class Tally: Sendable {
        private let value = Mutex(0)
        var count: Int { value.withLock { $0 } }
        func add() { value.withLock { $0 += 1 } }
    }

    private static func record(_ error: any Error, in run: inout ClientRun) {
        if case .unreachable? = error as? ClientError { run.lastUnanswered = true } else { run.unexpected.append("\(error)") }
    }

    /// After a restart: every acknowledged write is there, nothing more than was sent, and the
    /// whole ledger verifies as `tender ledger verify` checks it.
    static func check(_ runs: [ClientRun], settled: inout [AccountID: Int64], base: URL, cycle: Int) async throws {
        let reader = try TenderAPIClient(baseURL: base, timeout: 20)
        let audit = try await reader.auditLedger()
        #expect(audit.isValid, "cycle \(cycle): \(audit.problems)")
        let entries = try await reader.journalEntries()
        let bySequence = Dictionary(entries.map { ($0.sequence, $0) }, uniquingKeysWith: { first, _ in first })

        for run in runs {
            let payer = try await reader.account(run.payer.account).balances.available.micros
            let received = try await reader.account(run.recipient).balances.available.micros
            if run.faucetAcknowledged {
                // Acknowledged transfers all landed; at most the one unanswered transfer landed too.
                let allowed = run.lastUnanswered ? [run.acknowledgedTotal, run.acknowledgedTotal + run.amount.micros] : [run.acknowledgedTotal]
                #expect(allowed.contains(received),
                        "cycle \(cycle): recipient has \(received), acknowledged transfers total \(run.acknowledgedTotal), one unanswered: \(run.lastUnanswered)")
                #expect(payer + received == faucetAmount.micros, "cycle \(cycle): the faucet's \(faucetAmount) is not all between payer and recipient")
            } else {
                // The faucet was never answered: it may have landed, and nothing else was sent.
                #expect(received == 0)
                #expect(payer == 0 || payer == faucetAmount.micros, "cycle \(cycle): payer has \(payer) after an unanswered faucet")
            }
            if let earlier = settled[run.recipient] {
                #expect(received == earlier, "cycle \(cycle): a recipient's balance changed from \(earlier) to \(received) across a restart")
            } else {
                settled[run.recipient] = received
            }
            for sequences in run.acknowledged {
                #expect(sequences.count == 1)
                for sequence in sequences {
                    let entry = bySequence[sequence]
                    #expect(entry?.operation == .transfer(from: run.payer.account, to: run.recipient, amount: run.amount),
                            "cycle \(cycle): acknowledged journal entry \(sequence) is missing or is another operation")
                }
            }
        }
    }
}

extension ControllerCrashTests {
    @Test("a burst of malformed requests against the live process: no 5xx, and it stays up")
    func malformedBurstAgainstTheProcess() async throws {
        let executable = try #require(ControllerProcess.executable)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await TestStore.controllerDatabase(in: directory)
        let controller = try ControllerProcess(
            executable: executable, database: directory.appendingPathComponent("db.sqlite"), db: store.db, arguments: store.arguments
        )
        defer { controller.cleanUp() }
        try await controller.start()

        let key = KeyPair()
        let client = try TenderAPIClient(baseURL: controller.baseURL, key: key, timeout: 20)
        _ = try await client.faucet(Amount.credits(1_000))
        try await client.putArtifact(ControllerRouteTests.dataset)
        let order = try await client.submitOrder(manifest: RequestFuzzer.manifest, contentType: "application/yaml").order.id

        let session = TenderAPIClient.session(timeout: 20)
        let base = controller.baseURL.absoluteString
        var fuzzer = RequestFuzzer(seed: ControllerFuzzTests.seed ^ 0xC0FFEE, signer: key, knownOrder: order,
                                   knownAccount: KeyPair().account, firstNonce: NonceClock.shared.next() + 1)
        var requests: [FuzzRequest] = []
        for _ in 0..<400 { requests.append(fuzzer.next()) }
        let answers = await withTaskGroup(of: (Int?, String).self) { group in
            var answers: [(Int?, String)] = []
            for (index, request) in requests.enumerated() {
                guard let url = URL(string: base + request.path) else { continue }
                var urlRequest = URLRequest(url: url, timeoutInterval: 20)
                urlRequest.httpMethod = request.method
                for header in request.headers { urlRequest.setValue(header.value, forHTTPHeaderField: header.name) }
                if !request.body.isEmpty, request.method != "GET" { urlRequest.httpBody = request.body }
                let prepared = urlRequest
                group.addTask {
                    let status = (try? await session.data(for: prepared)).flatMap { ($0.1 as? HTTPURLResponse)?.statusCode }
                    return (status, "#\(index): \(request)")
                }
                // At most a handful in flight, like a few misbehaving clients.
                if index % 8 == 7, let answer = await group.next() { answers.append(answer) }
            }
            for await answer in group { answers.append(answer) }
            return answers
        }
        let serverErrors = answers.filter { ($0.0 ?? 0) >= 500 }
        #expect(serverErrors.isEmpty, "\(serverErrors.prefix(5).map { "\($0.0 ?? 0) \($0.1)" })")
        #expect(controller.isRunning, "the controller died:\n\(controller.logTail)")
        #expect(try await client.health().status == "ok")
        let audit = try await client.auditLedger()
        #expect(audit.isValid, "\(audit.problems)")
    }
}
