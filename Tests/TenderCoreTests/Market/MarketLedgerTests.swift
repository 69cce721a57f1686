import Testing
@testable import TenderCore

/// The market's actions carried out on a real ledger, the way the controller's shell will.
@Suite("Market actions on the ledger")
struct MarketLedgerTests {
    typealias F = Fixtures

    struct World {
        var ledger = Ledger()
        var now = Timestamp(millis: 1_000)

        mutating func carryOut(_ actions: [MarketAction]) throws {
            for action in actions {
                for operation in action.ledgerOperations { _ = try ledger.apply(operation, at: now) }
            }
        }

        mutating func fund(_ account: AccountID, _ credits: String, stake: String = "0") throws {
            _ = try ledger.apply(.mint(to: account, amount: F.credits(credits)), at: now)
            if F.credits(stake) > .zero { _ = try ledger.apply(.stake(account: account, amount: F.credits(stake)), at: now) }
        }

        func standing(_ account: AccountID) -> BidderStanding {
            BidderStanding(account: account, profile: F.profile(), reputationBasisPoints: 5_000,
                           freeStake: ledger.balances(of: account).staked)
        }
    }

    func awarded(_ world: inout World, rule: PricingTerms.Rule = .secondPrice) throws -> Lease {
        try world.fund(F.submitter, "20")
        try world.fund(F.account(1), "10", stake: "10")
        try world.fund(F.account(2), "10", stake: "10")
        var (order, actions) = try Order.submit(id: 1, submitter: F.submitter, manifest: F.manifest(rule: rule), manifestHash: "h", now: world.now)
        try world.carryOut(actions)
        #expect(world.ledger.balances(of: F.submitter).escrowed == F.credits("10"))
        _ = try order.placeBid(id: 1, standing: world.standing(F.account(1)), price: F.credits("3"), now: world.now)
        _ = try order.placeBid(id: 2, standing: world.standing(F.account(2)), price: F.credits("4"), now: world.now)
        world.now = world.now.adding(seconds: 30)
        let standings = [F.account(1): world.standing(F.account(1)), F.account(2): world.standing(F.account(2))]
        actions = try order.close(now: world.now, standings: standings, firstLeaseID: 1, beaconCommitments: ["b"], policy: F.policy)
        try world.carryOut(actions)
        for case .awardLease(let lease) in actions { return lease }
        throw MarketError.wrongState("no lease")
    }

    @Test("a settled job pays the clearing price minus the fee and releases everything else")
    func settlement() throws {
        var world = World()
        var lease = try awarded(&world)
        #expect(world.ledger.balances(of: F.submitter).escrowed == F.credits("4"))
        #expect(world.ledger.balances(of: F.account(1)).lockedCollateral == F.credits("5"))
        try F.commit(&lease, now: world.now)
        F.passAudit(&lease, now: world.now)
        world.now = world.now.adding(seconds: 600)
        try world.carryOut(try lease.check(now: world.now, policy: F.policy))

        let provider = world.ledger.balances(of: F.account(1))
        #expect(provider.available == F.credits("3.96"))       // paid 4, less the 1% fee
        #expect(provider.staked == F.credits("10"))
        #expect(provider.lockedCollateral == .zero)
        #expect(world.ledger.balances(of: F.submitter).available == F.credits("16"))
        #expect(world.ledger.balances(of: F.submitter).escrowed == .zero)
        #expect(world.ledger.burned == F.credits("0.02"))
        #expect(world.ledger.balances(of: F.policy.treasury).available == F.credits("0.02"))
        #expect(world.ledger.invariantHolds)
    }

    @Test("a silent provider's liveness penalty is burned; the submitter gets exactly its escrow back")
    func missedDeadline() throws {
        var world = World()
        var lease = try awarded(&world, rule: .firstPrice)
        world.now = lease.heartbeatDeadline
        try world.carryOut(try lease.check(now: world.now, policy: F.policy))
        #expect(world.ledger.balances(of: F.submitter).available == F.credits("20"))
        #expect(world.ledger.burned == F.credits("0.5"))
        #expect(world.ledger.balances(of: F.account(1)).staked == F.credits("9.5"))
        #expect(world.ledger.invariantHolds)
    }

    @Test("fraud refunds the submitter and splits the collateral 40/10/50")
    func fraud() throws {
        var world = World()
        var lease = try awarded(&world)
        try F.commit(&lease, now: world.now)
        try world.carryOut(try lease.slash(challenger: F.account(9), because: "test", now: world.now, policy: F.policy))
        #expect(world.ledger.balances(of: F.submitter).available == F.credits("20.5"))
        #expect(world.ledger.balances(of: F.account(9)).available == F.credits("2"))
        #expect(world.ledger.balances(of: F.account(1)).staked == F.credits("5"))
        #expect(world.ledger.burned == F.credits("2.5"))
        #expect(world.ledger.invariantHolds)
    }

    @Test("random market histories never fail on the ledger and always conserve money")
    func randomHistories() throws {
        var random = SplitMix(seed: 0xC0FFEE)
        for round in 0..<200 {
            var world = World()
            try world.fund(F.submitter, "1000")
            let providers = (1...4).map { F.account(UInt8($0)) }
            for provider in providers { try world.fund(provider, "100", stake: "\(random.next() % 60 + 1)") }
            let rule: PricingTerms.Rule = random.next() % 2 == 0 ? .firstPrice : .secondPrice
            let mode: VerificationTerms.Mode = random.next() % 3 == 0 ? .replicated : .sampled
            let manifest = F.manifest(maxPrice: "\(random.next() % 20 + 1)", rule: rule, collateral: "\(random.next() % 30)", mode: mode)
            var (order, actions) = try Order.submit(id: OrderID(UInt64(round)), submitter: F.submitter, manifest: manifest, manifestHash: "h", now: world.now)
            try world.carryOut(actions)
            for (index, provider) in providers.enumerated() where random.next() % 4 != 0 {
                _ = try? order.placeBid(id: UInt64(index), standing: world.standing(provider),
                                        price: F.credits("\(random.next() % 25 + 1)"), now: world.now)
            }
            if random.next() % 10 == 0 {
                try world.carryOut(try order.cancel(by: F.submitter, now: world.now))
            }
            world.now = world.now.adding(seconds: 30)
            let standings = Dictionary(uniqueKeysWithValues: providers.map { ($0, world.standing($0)) })
            actions = try order.close(now: world.now, standings: standings, firstLeaseID: 1,
                                      beaconCommitments: Array(repeating: "b", count: manifest.verification.replicas), policy: F.policy)
            try world.carryOut(actions)
            for case .awardLease(var lease) in actions {
                switch random.next() % 3 {
                case 0:
                    try F.commit(&lease, now: world.now)
                    F.passAudit(&lease, now: world.now)
                    try world.carryOut(try lease.check(now: world.now.adding(seconds: 600), policy: F.policy))
                case 1:
                    try world.carryOut(try lease.check(now: lease.deadline, policy: F.policy))
                default:
                    try F.commit(&lease, now: world.now)
                    try world.carryOut(try lease.slash(challenger: F.account(9), because: "test", now: world.now, policy: F.policy))
                }
                #expect(lease.isFinal)
            }
            // Every order ends with nothing left in escrow or locked as collateral.
            #expect(world.ledger.totals.holdings.escrowed == .zero, "round \(round)")
            #expect(world.ledger.totals.holdings.lockedCollateral == .zero, "round \(round)")
            #expect(world.ledger.invariantHolds)
        }
    }
}
