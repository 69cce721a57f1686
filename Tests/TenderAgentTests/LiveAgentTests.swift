import Foundation
import Testing
@testable import TenderAgentService
import TenderClient
import TenderCore
import TenderWorkloads

@Suite("agent against a live controller", .serialized)
struct LiveAgentTests {
    @Test("registers, stakes, wins a small training job, runs it and commits the same root as a local run")
    func runsAJob() async throws {
        let market = try await LiveMarket.start()
        let stateDirectory = market.directory.appendingPathComponent("agent-state")
        let agent = try market.agent(stateDirectory: stateDirectory)
        let running = Task { await agent.run() }
        defer { running.cancel() }
        try await market.waitUntilStaked()

        let order = try await market.submitter.submitOrder(manifest: market.manifestText, contentType: "application/yaml").order
        let lease = try await market.waitForLease(order: order.id) { $0.commitment != nil }
        running.cancel()
        _ = await running.value

        let local = try market.localRun()
        let commitment = try #require(lease.commitment)
        #expect(lease.provider == market.providerKey.account)
        #expect(commitment.root == local.commitment.root)
        #expect(commitment.leafCount == local.commitment.leafCount)
        #expect(commitment.finalStateHash == local.commitment.finalStateHash)
        #expect(commitment.resultHash == local.commitment.resultHash)

        // Every checkpoint state, the final state and the result download with a matching hash
        // (the client checks each body against the hash it asked for).
        for hash in local.stateHashes {
            let data = try await market.submitter.artifact(sha256: Hex.encode(hash))
            #expect(Hashing.sha256(data) == hash)
        }
        let result = try await market.submitter.artifact(sha256: commitment.resultHash)
        #expect(result == local.result)

        // `tender job result`'s checks: everything matches the signed commitment...
        let orderView = try await market.submitter.order(order.id)
        let fetched = try await JobResult.fetch(orderView, client: market.submitter)
        #expect(fetched.result == local.result)
        #expect(fetched.checks.count == 6, "signature, schedule, trace, result, final state and the model")
        // ...and a stored result whose bytes were changed on the controller's disk is refused.
        let stored = market.directory.appendingPathComponent("artifacts").appendingPathComponent(commitment.resultHash)
        try Data("{\"runtime\":\"mlp-train\",\"forged\":true}".utf8).write(to: stored)
        await #expect {
            _ = try await JobResult.fetch(orderView, client: market.submitter)
        } throws: { error in
            guard let error = error as? JobResultError, case .refused = error else { return false }
            return error.description.contains("refused the result of lease \(lease.id)")
        }

        // The profile is registered and the stake kept at its target (10 staked, 1 locked as collateral).
        let view = try await market.provider.account(market.providerKey.account)
        #expect(view.profile?.name == "live-test")
        #expect(try view.balances.staked.adding(view.balances.lockedCollateral) == Amount.credits(10))
        #expect(await agent.outcomes[lease.id].map { if case .committed = $0 { true } else { false } } == true)
        // The agent followed the event stream: it listed orders and leases once or twice (at the
        // start, before the stream connected), not on every poll.
        let (polls, listings) = (await agent.polls, await agent.listings)
        #expect(polls >= 5)
        #expect(listings <= 3, "listed on \(listings) of \(polls) polls")
        await market.stop()
    }

    @Test("a restarted agent resumes from its last checkpoint and commits the uninterrupted root")
    func resumesAfterRestart() async throws {
        let market = try await LiveMarket.start()
        let stateDirectory = market.directory.appendingPathComponent("agent-state")
        let first = try market.agent(stateDirectory: stateDirectory, stopAfterLeaf: 2)
        let firstRun = Task { await first.run() }
        defer { firstRun.cancel() }
        try await market.waitUntilStaked()

        let order = try await market.submitter.submitOrder(manifest: market.manifestText, contentType: "application/yaml").order
        let running = try await market.waitForLease(order: order.id) { $0.state == .running }
        let deadline = Date().addingTimeInterval(60)
        while await first.outcomes[running.id] == nil, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(await first.outcomes[running.id] == .stopped(atLeaf: 2))
        firstRun.cancel()
        _ = await firstRun.value
        #expect(try await market.submitter.lease(running.id).state == .running)

        let second = try market.agent(stateDirectory: stateDirectory)
        let secondRun = Task { await second.run() }
        defer { secondRun.cancel() }
        let lease = try await market.waitForLease(order: order.id) { $0.commitment != nil }
        secondRun.cancel()
        _ = await secondRun.value

        guard case .committed(_, let resumedFrom) = await second.outcomes[lease.id] else {
            Issue.record("the second agent did not commit")
            await market.stop()
            return
        }
        #expect(resumedFrom == 2)
        let local = try market.localRun()
        #expect(lease.commitment?.root == local.commitment.root)
        #expect(lease.commitment?.resultHash == local.commitment.resultHash)
        for hash in local.stateHashes {
            _ = try await market.submitter.artifact(sha256: Hex.encode(hash))
        }
        await market.stop()
    }

    @Test("faults: a wrong result hash is committed and checkpoint states are withheld")
    func faults() async throws {
        let market = try await LiveMarket.start()
        let agent = try market.agent(stateDirectory: market.directory.appendingPathComponent("agent-state"),
                                     faults: try FaultPlan.parse(["wrong-result", "withhold-artifacts"]))
        let running = Task { await agent.run() }
        defer { running.cancel() }
        try await market.waitUntilStaked()
        let order = try await market.submitter.submitOrder(manifest: market.manifestText, contentType: "application/yaml").order
        let lease = try await market.waitForLease(order: order.id) { $0.commitment != nil }
        running.cancel()
        _ = await running.value

        let local = try market.localRun()
        #expect(lease.commitment?.root == local.commitment.root, "the trace itself is honest")
        #expect(lease.commitment?.resultHash != local.commitment.resultHash)
        await #expect(throws: ClientError.self) { try await market.submitter.artifact(sha256: Hex.encode(local.stateHashes[1])) }
        // The result itself is still delivered.
        #expect(try await market.submitter.artifact(sha256: Hashing.sha256Hex(local.result)) == local.result)
        await market.stop()
    }

    @Test("fault miss-deadline: the job runs but no commitment is posted")
    func missDeadline() async throws {
        let market = try await LiveMarket.start()
        let agent = try market.agent(stateDirectory: market.directory.appendingPathComponent("agent-state"),
                                     faults: try FaultPlan.parse(["miss-deadline"]))
        let running = Task { await agent.run() }
        defer { running.cancel() }
        try await market.waitUntilStaked()
        let order = try await market.submitter.submitOrder(manifest: market.manifestText, contentType: "application/yaml").order
        let lease = try await market.waitForLease(order: order.id) { $0.state == .running }
        let deadline = Date().addingTimeInterval(60)
        while await agent.outcomes[lease.id] == nil, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(await agent.outcomes[lease.id] == .withheld)
        running.cancel()
        _ = await running.value
        let after = try await market.submitter.lease(lease.id)
        #expect(after.state == .running)
        #expect(after.commitment == nil)
        await market.stop()
    }
}
