import Foundation
import Testing
import TenderClient
import TenderCore

/// Verification end to end (DESIGN sections 7 and 8), with real processes: a `tender-controller`
/// child that audits and referees, `tender-agent` children that run the jobs (honest or with an
/// injected fault), and challengers. `swift build --build-tests` builds the executables first.
@Suite("Verification end to end", .serialized, .enabled(if: VerificationMarket.isAvailable,
       "needs the tender-controller and tender-agent builds (swift build --build-tests)"))
struct VerificationEndToEndTests {
    @Test("every fault mode ends with the provider slashed or penalized, the submitter refunded and the timeline saying why")
    func faultModes() async throws {
        let market = try await VerificationMarket()
        defer { market.cleanUp() }
        let cases: [(fault: String, state: Lease.State, because: String)] = [
            ("skip-steps:0.3", .slashed, "mismatch"),
            ("wrong-result", .slashed, "the result mismatch"),
            ("withhold-artifacts", .slashed, "unavailable"),
            ("miss-deadline", .failed, "no commitment by the deadline"),
        ]
        for (index, scenario) in cases.enumerated() {
            let (agent, provider) = try await market.agent("faulty-\(index)", faults: [scenario.fault])
            let before = try await market.submitter.account(market.submitterKey.account).balances
            let burnedBefore = try await market.submitter.supply().burned
            // Each job its own seed: the artifact store is shared, so an earlier job's states would
            // otherwise be there for a provider that withholds its own.
            let order = try await market.submit(market.manifest(deadline: scenario.state == .failed ? "6s" : "1m", seed: 100 + index))
            let lease = try await market.lease(ofOrder: order) { $0.isFinal }
            await agent.stop()

            #expect(lease.provider == provider)
            #expect(lease.state == scenario.state, "\(scenario.fault): \(lease.timeline.map(\.detail))")
            let last = try #require(lease.timeline.last)
            #expect(last.detail.contains(scenario.because), "\(scenario.fault): \(last.detail)")
            let after = try await market.submitter.account(market.submitterKey.account).balances
            #expect(after.escrowed == before.escrowed, "\(scenario.fault): the order's escrow is all returned")
            let providerView = try await market.submitter.account(provider)
            #expect(providerView.balances.lockedCollateral == .zero)
            if scenario.state == .slashed {
                // The whole escrow back, plus 10% of the 2-credit collateral.
                #expect(after.available == (try before.available.adding(Amount.parse("0.2"))), "\(scenario.fault)")
                #expect(providerView.jailedUntil != nil)
            } else {
                // The liveness penalty is burned, not paid to the submitter who set the deadline.
                #expect(after.available == before.available)
                #expect(try await market.submitter.supply().burned == (try burnedBefore.adding(Amount.parse("0.2"))))
            }
        }
        #expect(try await market.ledgerVerifies())
    }

    @Test("an honest provider is never slashed: 240 segments re-executed by another process match bit for bit")
    func honestProvider() async throws {
        let market = try await VerificationMarket()
        defer { market.cleanUp() }
        let (agent, provider) = try await market.agent("honest")
        let order = try await market.submit(market.manifest(steps: 240, interval: 1))
        let lease = try await market.lease(ofOrder: order, seconds: 120) { $0.isFinal }
        await agent.stop()
        let audit = try await market.submitter.audit(lease: lease.id)
        #expect(lease.state == .settled, "\(lease.timeline.map(\.detail))\n\(agent.logTail)")
        #expect(audit.segments.count == 240)
        #expect(audit.checks.count == 241)  // every segment and the result
        #expect(audit.checks.allSatisfy { $0.verdict == .passed })
        // Anyone can recompute the sample from the revealed secret.
        let secret = try #require(audit.secret)
        #expect(Beacon.opens(lease.beaconCommitment, with: secret))
        let root = try #require(lease.commitment?.root)
        let seed = try Beacon.seed(manifestHash: lease.manifestHash, root: root, secret: secret)
        #expect(audit.segments == AuditSample.draw(seed: seed, segments: 240, count: lease.samples))
        let paid = try await market.submitter.account(provider).balances
        // 50 left after staking 50; the only bid is paid the maximum price (second-price), 1, less the 1% fee.
        #expect(paid.available == (try Amount.parse("50.99")))
        #expect(try await market.ledgerVerifies())
    }

    @Test("replicated mode: equal roots settle both replicas; a replica that differs is re-executed where they part and slashed")
    func replicated() async throws {
        let market = try await VerificationMarket()
        defer { market.cleanUp() }
        let (honest, honestAccount) = try await market.agent("replica-honest")
        let (second, _) = try await market.agent("replica-second")
        // One sample only: the comparison of the two roots, not sampling, has to decide.
        let agreeing = try await market.submit(market.manifest(samples: 1, seed: 201, mode: "replicated"))
        let both = try await market.leases(ofOrder: agreeing, count: 2)
        #expect(both.count == 2)
        #expect(both.allSatisfy { $0.state == .settled }, "\(both.map(\.timeline))")
        for lease in both {
            let audit = try await market.submitter.audit(lease: lease.id)
            #expect(audit.replica?.rootsAgree == true)
        }
        await second.stop()

        let (cheat, cheatAccount) = try await market.agent("replica-cheat", faults: ["skip-steps:0.3"])
        let parting = try await market.submit(market.manifest(samples: 1, seed: 202, mode: "replicated"))
        let leases = try await market.leases(ofOrder: parting, count: 2)
        await honest.stop()
        await cheat.stop()
        let cheated = try #require(leases.first { $0.provider == cheatAccount })
        let honestLease = try #require(leases.first { $0.provider == honestAccount })
        #expect(cheated.state == .slashed, "\(cheated.timeline.map(\.detail))")
        #expect(cheated.timeline.contains { $0.detail.contains("replica check") })
        #expect(honestLease.state == .settled, "\(honestLease.timeline.map(\.detail))")
        let audit = try await market.submitter.audit(lease: honestLease.id)
        #expect(audit.replica?.rootsAgree == false)
        #expect(audit.replica?.check?.verdict == .passed)
        #expect(try await market.ledgerVerifies())
    }
}
