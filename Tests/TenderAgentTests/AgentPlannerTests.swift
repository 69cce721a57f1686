import Foundation
import Testing
@testable import TenderAgentService
@testable import TenderCore

@Suite("AgentPlanner")
struct AgentPlannerTests {
    typealias F = AgentFixtures

    func planner(_ profile: ProviderProfile = F.profile()) -> AgentPlanner {
        var planner = AgentPlanner(account: F.me, profile: profile)
        planner.didRegister()
        return planner
    }

    func bids(_ actions: [AgentAction]) -> [OrderID: Amount] {
        var result: [OrderID: Amount] = [:]
        for case .bid(let order, let price) in actions { result[order] = price }
        return result
    }

    func declines(_ actions: [AgentAction]) -> [OrderID: [String]] {
        var result: [OrderID: [String]] = [:]
        for case .decline(let order, let reasons) in actions { result[order] = reasons }
        return result
    }

    @Test("registers once when the controller does not have the profile")
    func registers() {
        var planner = AgentPlanner(account: F.me, profile: F.profile())
        let first = planner.plan(F.snapshot(view: F.view(profile: nil)))
        #expect(first.first == .register)
        #expect(!planner.plan(F.snapshot(view: F.view(profile: nil))).contains(.register))
        planner.didRegister()
        #expect(!planner.plan(F.snapshot(view: F.view(profile: nil))).contains(.register))
        var registered = AgentPlanner(account: F.me, profile: F.profile())
        #expect(!registered.plan(F.snapshot(view: F.view(profile: F.profile()))).contains(.register))
    }

    @Test("bids the linear price on an order it can run")
    func bidsLinear() throws {
        var planner = planner()
        let actions = planner.plan(F.snapshot(orders: [F.order(1)]))
        // 0.5 credits per GPU-hour, one GPU, a one-hour deadline.
        let expected = try PriceQuote.linear(LinearRates(perGPUHour: F.credits("0.5")), for: F.manifest())
        #expect(expected == F.credits("0.5"))
        #expect(bids(actions) == [1: expected])
        // Bids once only.
        #expect(bids(planner.plan(F.snapshot(orders: [F.order(1)]))).isEmpty)
    }

    @Test("declines with every reason, once per order")
    func declinesWithReasons() {
        var planner = planner()
        let order = F.order(2, F.manifest(gpus: 2, model: "h100", collateral: "500", minReputation: 0.9, region: "us"))
        let actions = planner.plan(F.snapshot(orders: [order]))
        let reasons = declines(actions)[2] ?? []
        #expect(bids(actions).isEmpty)
        #expect(reasons.count == 4)
        #expect(reasons.contains { $0.contains("GPU") })
        #expect(reasons.contains { $0.contains("region") })
        #expect(reasons.contains { $0.contains("reputation") })
        #expect(reasons.contains { $0.contains("free stake") })
        #expect(declines(planner.plan(F.snapshot(orders: [order]))).isEmpty, "the same reasons are not logged twice")
    }

    @Test("an exec job is declined unless the profile lists exec, and then unless this machine can sandbox it")
    func execNeedsConsentAndSandbox() {
        var manifest = F.manifest()
        manifest.workload = .exec(ExecSpec(program: .sha256(String(repeating: "ef", count: 32)), programSHA256: String(repeating: "ef", count: 32),
                                           steps: 10, checkpointInterval: 5))
        let order = F.order(4, manifest)
        var plain = planner()
        let refused = declines(plain.plan(F.snapshot(orders: [order])))[4] ?? []
        #expect(refused.contains { $0.contains("the job runs exec; the profile offers mlp-infer, mlp-train") })

        var offering = F.profile()
        offering.runtimes.insert(.exec)
        var unsandboxed = AgentPlanner(account: F.me, profile: offering, unavailableRuntimes: [.exec: "sandbox-unavailable: no bwrap"])
        let actions = unsandboxed.plan(F.snapshot(orders: [order]))
        #expect(bids(actions).isEmpty)
        #expect(declines(actions)[4] == ["sandbox-unavailable: no bwrap"])

        var sandboxed = AgentPlanner(account: F.me, profile: offering)
        #expect(bids(sandboxed.plan(F.snapshot(orders: [order])))[4] != nil)
    }

    @Test("never bids above the order's maximum price")
    func noBidAboveMax() {
        var planner = planner(F.profile(pricing: .linear(LinearRates(perGPUHour: F.credits("20")))))
        let actions = planner.plan(F.snapshot(orders: [F.order(3, F.manifest(maxPrice: "10"))]))
        #expect(bids(actions).isEmpty)
        #expect(declines(actions)[3]?.first?.contains("above the order's maximum price") == true)
    }

    @Test("does not bid on its own order, or when jailed")
    func ownOrderAndJail() {
        var planner = planner()
        let own = planner.plan(F.snapshot(orders: [F.order(4, submitter: F.me)]))
        #expect(bids(own).isEmpty)
        var jailed = self.planner()
        let actions = jailed.plan(F.snapshot(view: F.view(jailedUntil: F.now.adding(seconds: 60)), orders: [F.order(5)]))
        #expect(declines(actions)[5]?.contains { $0.contains("jailed") } == true)
    }

    @Test("script pricing asks for a quote, then bids its answer or declines its failure")
    func scriptPricing() {
        var planner = planner(F.profile(pricing: .script(command: "./price.sh", timeoutSeconds: 3)))
        let first = planner.plan(F.snapshot(orders: [F.order(6), F.order(7)]))
        #expect(first.filter { if case .quote = $0 { true } else { false } }.count == 2)
        #expect(planner.plan(F.snapshot(orders: [F.order(6), F.order(7)])).isEmpty, "no second quote while one is pending")
        planner.didQuote(6, .price(F.credits("1.25")))
        planner.didQuote(7, .failed("timed out"))
        let second = planner.plan(F.snapshot(orders: [F.order(6), F.order(7)]))
        #expect(bids(second) == [6: F.credits("1.25")])
        #expect(declines(second)[7] == ["cannot price: timed out"])
    }

    @Test("stakes up to the target, counting locked collateral, and reports a shortfall once")
    func stakesToTarget() {
        var planner = planner(F.profile(stakeTarget: "100"))
        #expect(planner.plan(F.snapshot(view: F.view(available: "500", staked: "30", locked: "20"))).contains(.stake(F.credits("50"))))
        #expect(!planner.plan(F.snapshot(view: F.view(available: "500", staked: "80", locked: "20")))
            .contains { if case .stake = $0 { true } else { false } })
        let short = planner.plan(F.snapshot(view: F.view(available: "10", staked: "0")))
        #expect(short.contains(.stake(F.credits("10"))))
        #expect(short.contains(.stakeShortfall(target: F.credits("100"), bonded: .zero, available: F.credits("10"))))
        let again = planner.plan(F.snapshot(view: F.view(available: "10", staked: "0")))
        #expect(!again.contains { if case .stakeShortfall = $0 { true } else { false } })
    }

    @Test("stake staked this round counts as free stake when screening")
    func fundedThisRound() {
        var planner = planner(F.profile(stakeTarget: "100"))
        let actions = planner.plan(F.snapshot(view: F.view(available: "100", staked: "0"), orders: [F.order(8)]))
        #expect(actions.contains(.stake(F.credits("100"))))
        #expect(bids(actions).keys.contains(8))
    }

    @Test("never runs more leases than its concurrency", arguments: [1, 2, 3])
    func concurrency(limit: Int) {
        var planner = planner(F.profile(concurrency: limit))
        let leases = (1...5).map { F.lease(LeaseID(UInt64($0))) }
        var started = planner.plan(F.snapshot(leases: leases)).compactMap { action -> LeaseID? in
            if case .startLease(let lease) = action { return lease.id } else { return nil }
        }
        #expect(started == (1...UInt64(limit)).map { LeaseID($0) })
        #expect(planner.plan(F.snapshot(leases: leases)).allSatisfy { if case .startLease = $0 { false } else { true } })
        planner.leaseEnded(1, retry: false)
        started = planner.plan(F.snapshot(leases: leases)).compactMap { action -> LeaseID? in
            if case .startLease(let lease) = action { return lease.id } else { return nil }
        }
        #expect(started == [LeaseID(UInt64(limit) + 1)])
        #expect(planner.running.count == limit)
    }

    @Test("ignores leases of other providers and leases that are not running")
    func otherLeases() {
        var planner = planner(F.profile(concurrency: 4))
        let actions = planner.plan(F.snapshot(leases: [F.lease(1, provider: F.submitter), F.lease(2, state: .committed)]))
        #expect(actions.isEmpty)
    }

    @Test("does not bid past capacity: a running lease fills the only slot")
    func capacity() {
        var planner = planner(F.profile(concurrency: 1))
        let actions = planner.plan(F.snapshot(orders: [F.order(9)], leases: [F.lease(1)]))
        #expect(bids(actions).isEmpty)
        #expect(declines(actions)[9]?.first?.hasPrefix("at capacity") == true)
    }

    @Test("a refused bid is not retried; a failed one is")
    func refusedBids() {
        var planner = planner()
        #expect(bids(planner.plan(F.snapshot(orders: [F.order(10), F.order(11)]))).keys.contains(10))
        planner.bidRefused(10)
        planner.bidFailed(11)
        let next = bids(planner.plan(F.snapshot(orders: [F.order(10), F.order(11)])))
        #expect(!next.keys.contains(10))
        #expect(next.keys.contains(11))
    }
}
