import Foundation
import Testing
import TenderClient
import TenderCore
import TenderWorkloads
#if canImport(Glibc)
import Glibc
#endif

/// The dispute game end to end, with real processes. The controller's auditor is off here, so
/// challengers alone judge each lease, as on a controller with no compute to spare.
@Suite("Disputes end to end", .serialized, .enabled(if: VerificationMarket.isAvailable,
       "needs the tender-controller and tender-agent builds (swift build --build-tests)"))
struct DisputeEndToEndTests {
    /// A challenger's client and an engine that plays honestly from what the store serves.
    func challenger(_ market: VerificationMarket, _ name: String) async throws -> (AccountID, TenderAPIClient, Challenger) {
        let (key, client) = try await market.account(name, credits: 100, stake: 5)
        let engine = Challenger(client: client, cache: market.directory.appendingPathComponent("cache-\(name)"), exec: .refused(reason: "no exec jobs here"), pollInterval: .milliseconds(200))
        return (key.account, client, engine)
    }

    /// The first falsified segment of a lease, found the way a challenger finds it: by re-executing
    /// (without disputing, which `Challenger.check` would do by itself).
    func falsifiedSegment(_ lease: API.LeaseView, _ client: TenderAPIClient, cache: URL) async throws -> Int {
        let evidence = try await LeaseEvidence.gather(lease, client: client, cache: cache, exec: .refused(reason: "no exec jobs here"))
        for segment in 0..<evidence.segmentCount {
            let state = try await evidence.state(ofLeaf: segment, client: client)
            let check = SegmentAudit.check(
                segment: segment, state: state, trace: evidence.trace, tree: evidence.tree, commitment: evidence.commitment,
                runner: evidence.runner, at: .init(millis: 0)
            )
            if check.verdict == .mismatch { return segment }
        }
        throw ControllerProcess.ProcessFailure("no falsified segment in lease \(lease.id)")
    }

    @Test("a challenger who disputes an honest result loses its bond, half to the provider; the lease still settles")
    func honestResultDisputed() async throws {
        let market = try await VerificationMarket(audit: false)
        defer { market.cleanUp() }
        let (agent, provider) = try await market.agent("honest")
        let (carol, carolClient, engine) = try await challenger(market, "carol")
        let order = try await market.submit(market.manifest(window: "20s"))
        let lease = try await market.lease(ofOrder: order) { $0.commitment != nil }
        let providerBefore = try await carolClient.account(provider).balances.available
        let carolBefore = try await carolClient.account(carol).balances.available

        // A wrong claim about segment 3: the honest game narrows it to one step the referee checks.
        let opened = try await carolClient.openDispute(lease: lease.id, segment: 3, claim: Hashing.sha256Hex("not the state"))
        #expect(opened.bond == (try Amount.parse("0.4")))  // 20% of the collateral
        let outcome = try await engine.resume(opened)
        let ruling = try #require(outcome.dispute.ruling)
        #expect(ruling.winner == .provider, "\(ruling)")
        #expect(ruling.reason == .refereeStep)
        #expect(outcome.bond == .forfeited)

        let settled = try await market.lease(ofOrder: order) { $0.isFinal }
        await agent.stop()
        #expect(settled.state == .settled, "\(settled.timeline.map(\.detail))")
        #expect(try await carolClient.account(carol).balances.available == (try carolBefore.subtracting(Amount.parse("0.4"))))
        // Half the bond, and then the payment (1 less the 1% fee).
        #expect(try await carolClient.account(provider).balances.available == (try providerBefore.adding(Amount.parse("1.19"))))
        #expect(try await market.ledgerVerifies())

        // Finished, the order leaves the controller's memory with its lease and dispute: they are
        // read from the store's archive, by id and in lists, as they ended.
        try await expectArchived(orders: 1, leases: 1, client: carolClient)
        let view = try await carolClient.order(order)
        #expect(view.order.state == .awarded && view.leases.map(\.id) == [lease.id] && view.leases.first?.state == .settled)
        #expect(try await carolClient.lease(lease.id).state == .settled)
        #expect(try await carolClient.leases(provider: provider).leases.map(\.id) == [lease.id])
        #expect(try await carolClient.leases(state: .settled).leases.map(\.id) == [lease.id])
        #expect(try await carolClient.leases(state: .running).leases.isEmpty)
        #expect(try await carolClient.orders(submitter: market.submitterKey.account).orders.map(\.id) == [order])
        #expect(try await carolClient.disputes(lease: lease.id).disputes.map(\.id) == [opened.id])
        #expect(try await carolClient.disputes(account: carol).disputes.map(\.id) == [opened.id])
        #expect(try await carolClient.disputes(openOnly: true).disputes.isEmpty)
        #expect(try await carolClient.dispute(opened.id).ruling?.winner == .provider)
        // A dispute of a finished lease is refused as such, not as an unknown lease.
        let refusal = await #expect(throws: ClientError.self) {
            try await carolClient.openDispute(lease: lease.id, segment: 2, claim: Hashing.sha256Hex("late"))
        }
        #expect(refusal?.status == 409, "\(String(describing: refusal))")
    }

    /// Waits (the metrics are read at most once a second) until the controller reports this many
    /// finished orders and leases archived.
    func expectArchived(orders: Int, leases: Int, client: TenderAPIClient) async throws {
        let wanted = ["tender_orders_archived \(orders)", "tender_leases_archived \(leases)"]
        var text = ""
        for _ in 0..<30 {
            text = String(decoding: try await client.send(.get("/metrics")).body, as: UTF8.self)
            if wanted.allSatisfy({ text.contains($0) }) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("never archived: \(text.split(separator: "\n").filter { $0.contains("archived") })")
    }

    @Test("tender challenge watch catches a falsified segment and wins 40% of the collateral")
    func falsifiedSegmentDisputed() async throws {
        let market = try await VerificationMarket(audit: false)
        defer { market.cleanUp() }
        let (agent, provider) = try await market.agent("cheat", faults: ["skip-steps:0.3"])
        let (dave, daveClient, _) = try await challenger(market, "dave")
        let order = try await market.submit(market.manifest(window: "30s"))
        _ = try await market.lease(ofOrder: order) { $0.commitment != nil }
        let before = try await daveClient.account(dave).balances.available

        let cli = try CLIProcess.run(
            ["challenge", "watch", "--once", "--samples", "100", "--poll-interval", "0.2", "--key", "dave"],
            home: market.home, controller: market.controller.baseURL
        )
        #expect(cli.status == 0, "\(cli.output)")
        #expect(cli.output.contains("challenger wins"), "\(cli.output)")
        let lease = try await market.lease(ofOrder: order) { $0.isFinal }
        await agent.stop()
        #expect(lease.state == .slashed)
        #expect(lease.timeline.last?.detail.contains("proved fraud") == true)
        #expect(try await daveClient.account(dave).balances.available == (try before.adding(Amount.parse("0.8"))))
        #expect(try await daveClient.account(provider).jailedUntil != nil)
        #expect(try await market.ledgerVerifies())
    }

    @Test("a provider that misses its move's deadline loses the dispute and is slashed")
    func missedMove() async throws {
        let market = try await VerificationMarket(audit: false, disputeMove: "2s")
        defer { market.cleanUp() }
        let (agent, _) = try await market.agent("cheat", faults: ["skip-steps:0.3"])
        let (_, client, _) = try await challenger(market, "erin")
        let order = try await market.submit(market.manifest(window: "30s"))
        let lease = try await market.lease(ofOrder: order) { $0.commitment != nil }
        let segment = try await falsifiedSegment(lease, client, cache: market.directory.appendingPathComponent("cache-erin"))
        await agent.kill()  // the provider goes silent

        let opened = try await client.openDispute(lease: lease.id, segment: segment, claim: Hashing.sha256Hex("anything else"))
        let ruled = try await market.resolved(opened.id, seconds: 30)
        #expect(ruled.ruling?.winner == .challenger)
        #expect(ruled.ruling?.reason == .missedDeadline)
        #expect(try await market.lease(ofOrder: order) { $0.isFinal }.state == .slashed)
        #expect(try await market.ledgerVerifies())
    }

    @Test("a controller and an agent killed with SIGKILL in the middle of a dispute resume it after restart with nothing lost")
    func controllerCrashMidDispute() async throws {
        let market = try await VerificationMarket(audit: false)
        defer { market.cleanUp() }
        let (agent, _) = try await market.agent("honest")
        let (_, client, engine) = try await challenger(market, "frank")
        let order = try await market.submit(market.manifest(steps: 120, interval: 40, window: "30s"))
        let lease = try await market.lease(ofOrder: order) { $0.commitment != nil }
        let opened = try await client.openDispute(lease: lease.id, segment: 1, claim: Hashing.sha256Hex("wrong"))

        // The provider's agent answers the first midpoint; then the controller dies.
        let deadline = Date().addingTimeInterval(30)
        var seen = opened
        while seen.moves.isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            seen = try await client.dispute(opened.id)
        }
        #expect(seen.moves.count == 1)
        // A read can show a change whose commit is still in flight; a later write that is
        // acknowledged was committed after it (the writer commits in order), so the move is durable.
        _ = try await client.transfer(try Amount(micros: 1), to: KeyPair().account)
        await market.controller.kill()
        await agent.kill()
        try await market.controller.start()
        try agent.start()  // the same key and state directory: it finds the open dispute by itself
        let restored = try await client.dispute(opened.id)
        #expect(restored.moves == seen.moves, "the acknowledged move survived the crash")
        // The same game, at the same point; only the pending move's deadline was extended by the restart.
        #expect(restored.phase.name == seen.phase.name || restored.moves.count > seen.moves.count)
        #expect(restored.range == seen.range || restored.moves.count > seen.moves.count)

        let outcome = try await engine.resume(restored)
        await agent.stop()
        #expect(outcome.dispute.ruling?.winner == .provider)
        #expect(outcome.dispute.moves.count >= 2 * 5)  // 40 steps: ceil(log2 40) = 6 midpoints, each answered
        #expect(try await market.ledgerVerifies())
    }
}

/// The `tender` CLI as a child process, run to completion.
enum CLIProcess {
    static var executable: URL? {
        [".build/debug/tender", ".build/release/tender"]
            .map { ControllerProcess.packageRoot.appendingPathComponent($0) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func run(_ arguments: [String], home: URL, controller: URL) throws -> (status: Int32, output: String) {
        guard let executable else { throw ControllerProcess.ProcessFailure("no tender build") }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["TENDER_HOME": home.path, "TENDER_CONTROLLER": controller.absoluteString]
        ) { $1 }
        let log = home.appendingPathComponent("cli-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
