import Testing
@testable import TenderCore

@Suite("Order and lease lifecycle")
struct OrderLifecycleTests {
    typealias F = Fixtures

    let start = Timestamp(millis: 1_000_000)

    func openOrder(_ manifest: JobManifest = Fixtures.manifest()) throws -> Order {
        let (order, actions) = try Order.submit(id: 1, submitter: F.submitter, manifest: manifest, manifestHash: "mh", now: start)
        #expect(actions == [
            .lockEscrow(order: 1, owner: F.submitter, amount: manifest.pricing.maxPrice),
            .scheduleAuctionClose(order: 1, at: start.adding(seconds: 30)),
        ])
        return order
    }

    func standings(_ list: BidderStanding...) -> [AccountID: BidderStanding] {
        Dictionary(uniqueKeysWithValues: list.map { ($0.account, $0) })
    }

    @Test("an order clears to a lease: excess escrow refunded, collateral locked, deadline scheduled")
    func clearsToLease() throws {
        var order = try openOrder()
        _ = try order.placeBid(id: 1, standing: F.standing(1), price: F.credits("4"), now: start.adding(seconds: 1))
        _ = try order.placeBid(id: 2, standing: F.standing(2), price: F.credits("6"), now: start.adding(seconds: 2))
        #expect(try order.close(now: start.adding(seconds: 29), standings: [:], firstLeaseID: 1, beaconCommitments: ["b"], policy: F.policy).isEmpty)

        let closeTime = start.adding(seconds: 30)
        let actions = try order.close(now: closeTime, standings: standings(F.standing(1), F.standing(2)),
                                      firstLeaseID: 7, beaconCommitments: ["beacon"], policy: F.policy)
        #expect(order.state == .awarded)
        #expect(order.escrow == F.credits("6"))
        guard actions.count == 4, case .awardLease(let lease) = actions[2] else {
            Issue.record("unexpected actions \(actions)")
            return
        }
        #expect(actions[0] == .refundEscrow(order: 1, owner: F.submitter, amount: F.credits("4")))
        #expect(actions[1] == .lockCollateral(lease: 7, provider: F.account(1), amount: F.credits("5")))
        #expect(actions[3] == .scheduleLeaseCheck(lease: 7, at: closeTime.adding(seconds: F.policy.heartbeatGraceSeconds)))
        #expect(lease.payment == F.credits("6"))
        #expect(lease.deadline == closeTime.adding(seconds: 3_600))
        #expect(lease.beaconCommitment == "beacon")
    }

    @Test("a provider that lost its stake before clearing is passed over")
    func reCheckedAtClose() throws {
        var order = try openOrder()
        _ = try order.placeBid(id: 1, standing: F.standing(1), price: F.credits("2"), now: start)
        _ = try order.placeBid(id: 2, standing: F.standing(2), price: F.credits("3"), now: start)
        let actions = try order.close(now: start.adding(seconds: 30), standings: standings(F.standing(1, stake: "1"), F.standing(2)),
                                      firstLeaseID: 1, beaconCommitments: ["b"], policy: F.policy)
        #expect(actions.contains(.lockCollateral(lease: 1, provider: F.account(2), amount: F.credits("5"))))
    }

    @Test("no bids: the order expires and all escrow is refunded")
    func expires() throws {
        var order = try openOrder()
        let actions = try order.close(now: start.adding(seconds: 31), standings: [:], firstLeaseID: 1, beaconCommitments: ["b"], policy: F.policy)
        #expect(order.state == .expired)
        #expect(actions == [.refundEscrow(order: 1, owner: F.submitter, amount: F.credits("10"))])
        #expect(throws: MarketError.self) { try order.cancel(by: F.submitter, now: start) }
    }

    @Test("only the submitter can cancel, and only while open")
    func cancel() throws {
        var order = try openOrder()
        #expect(throws: MarketError.notYours("only the submitter can cancel order 1")) { try order.cancel(by: F.account(1), now: start) }
        #expect(try order.cancel(by: F.submitter, now: start) == [.refundEscrow(order: 1, owner: F.submitter, amount: F.credits("10"))])
        #expect(order.state == .cancelled)
        #expect(throws: MarketError.self) {
            try order.placeBid(id: 1, standing: F.standing(1), price: F.credits("1"), now: start)
        }
    }

    @Test("a second bid from the same provider is declined")
    func duplicateBid() throws {
        var order = try openOrder()
        _ = try order.placeBid(id: 1, standing: F.standing(1), price: F.credits("4"), now: start)
        #expect(throws: MarketError.bidDeclined([.alreadyBid])) {
            try order.placeBid(id: 2, standing: F.standing(1), price: F.credits("3"), now: start)
        }
    }

    func runningLease() throws -> Lease {
        var order = try openOrder()
        _ = try order.placeBid(id: 1, standing: F.standing(1), price: F.credits("4"), now: start)
        let actions = try order.close(now: start.adding(seconds: 30), standings: standings(F.standing(1)),
                                      firstLeaseID: 1, beaconCommitments: ["b"], policy: F.policy)
        for case .awardLease(let lease) in actions { return lease }
        throw MarketError.wrongState("no lease")
    }

    @Test("heartbeats keep a lease alive; silence fails it with a penalty and a refund")
    func heartbeatAndSilence() throws {
        var lease = try runningLease()
        let t1 = lease.startedAt.adding(seconds: 100)
        #expect(try lease.heartbeat(by: F.account(1), step: 10, loss: 1.5, now: t1, policy: F.policy)
            == [.scheduleLeaseCheck(lease: 1, at: t1.adding(seconds: 120))])
        #expect(throws: MarketError.self) { try lease.heartbeat(by: F.account(2), step: 11, loss: nil, now: t1, policy: F.policy) }
        #expect(throws: MarketError.self) { try lease.heartbeat(by: F.account(1), step: 9, loss: nil, now: t1, policy: F.policy) }
        #expect(try lease.check(now: t1.adding(seconds: 119), policy: F.policy).isEmpty)
        let actions = try lease.check(now: t1.adding(seconds: 120), policy: F.policy)
        #expect(lease.state == .failed)
        #expect(actions == [
            .refundEscrow(order: 1, owner: F.submitter, amount: F.credits("10")),
            .penalize(lease: 1, provider: F.account(1), collateral: F.credits("5"), penalty: F.credits("0.5")),
            .reputation(provider: F.account(1), event: .missedDeadline),
        ])
    }

    @Test("a commitment opens the window; an audited, unchallenged lease settles with the fee taken")
    func settles() throws {
        var lease = try runningLease()
        let committedAt = lease.startedAt.adding(seconds: 60)
        let (signed, commitment) = try F.commitment(lease: 1, leaves: 4)
        #expect(throws: MarketError.self) { try lease.commit(signed, commitment, by: F.account(2), now: committedAt) }
        #expect(try lease.commit(signed, commitment, by: F.account(1), now: committedAt)
            == [.scheduleBeaconReveal(lease: 1, at: committedAt), .scheduleSettlement(lease: 1, at: committedAt.adding(seconds: 600))])
        #expect(throws: MarketError.self) { try lease.commit(signed, commitment, by: F.account(1), now: committedAt) }
        // Past the window with no audit yet: nothing settles.
        #expect(try lease.check(now: committedAt.adding(seconds: 600), policy: F.policy).isEmpty)
        #expect(lease.state == .committed)
        F.passAudit(&lease, now: committedAt)
        #expect(try lease.check(now: committedAt.adding(seconds: 599), policy: F.policy).isEmpty)
        let actions = try lease.check(now: committedAt.adding(seconds: 600), policy: F.policy)
        #expect(lease.state == .settled)
        #expect(actions == [
            .settle(lease: 1, order: 1, provider: F.account(1), payment: F.credits("10"), collateral: F.credits("5"),
                    fee: Fee(amount: F.credits("0.1"), burnBasisPoints: 5_000, treasury: F.account(0xEE))),
            .reputation(provider: F.account(1), event: .settled),
        ])
    }

    @Test("a proven fraud refunds the submitter, slashes and jails the provider; a running lease cannot be slashed")
    func fraud() throws {
        var lease = try runningLease()
        let now = lease.startedAt.adding(seconds: 60)
        #expect(throws: MarketError.self) { try lease.slash(challenger: F.account(9), because: "test", now: now, policy: F.policy) }
        try F.commit(&lease, now: now)
        let actions = try lease.slash(challenger: F.account(9), because: "test", now: now, policy: F.policy)
        #expect(actions == [
            .refundEscrow(order: 1, owner: F.submitter, amount: F.credits("10")),
            .slash(lease: 1, provider: F.account(1), collateral: F.credits("5"), challenger: F.account(9), submitter: F.submitter),
            .reputation(provider: F.account(1), event: .slashed),
            .jail(provider: F.account(1), until: now.adding(seconds: 86_400)),
        ])
        #expect(throws: MarketError.self) { try lease.slash(challenger: F.account(9), because: "test", now: now, policy: F.policy) }
        #expect(try lease.check(now: now.adding(seconds: 10_000), policy: F.policy).isEmpty)
    }

    @Test("reputation rises slowly and falls fast, within bounds")
    func reputation() {
        #expect(Reputation.apply(.settled, to: 5_000) == 5_250)
        #expect(Reputation.apply(.settled, to: 10_000) == 10_000)
        #expect(Reputation.apply(.missedDeadline, to: 8_000) == 6_000)
        #expect(Reputation.apply(.slashed, to: 8_000) == 2_000)
        var score = 0
        for _ in 0..<500 { score = Reputation.apply(.settled, to: score) }
        #expect(score == 10_000)
    }
}
