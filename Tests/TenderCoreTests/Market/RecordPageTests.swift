import Foundation
import Testing
@testable import TenderCore

/// `GET /v1/leases` and `GET /v1/disputes` list through `leasePage` and `disputePage`: each page
/// is what filtering and sorting every record would give, whether or not an index is used.
@Suite("lease and dispute pages")
struct RecordPageTests {
    /// Each page `page(after, limit)` gives is the ids a scan of `all` would: matches above
    /// `after`, sorted, the first `limit`.
    static func expectPagesAgree<Record>(
        _ all: [Record], id: (Record) -> UInt64, afters: [UInt64], _ context: String,
        page: (UInt64, Int) -> [Record], matches: (Record) -> Bool
    ) {
        for after in afters {
            for limit in [0, 1, 5] {
                let scan = all.filter { id($0) > after && matches($0) }.map(id).sorted().prefix(limit)
                #expect(page(after, limit).map(id) == Array(scan), "\(context) after \(after) limit \(limit)")
            }
        }
    }

    /// Another order of `submitter`, won by `provider` alone: one lease more in the indexes.
    static func award(_ market: inout Marketplace, to provider: AccountID, from submitter: AccountID, at now: Timestamp) throws -> LeaseID {
        let (order, _) = try market.submitOrder(
            manifest: Fixtures.manifest(rule: .firstPrice), manifestHash: Hashing.sha256Hex("order at \(now.millis)"), by: submitter,
            storedInputs: [Fixtures.datasetHash], now: now
        )
        _ = try market.placeBid(on: order, by: provider, price: Fixtures.credits("3"), now: now)
        _ = try market.closeAuction(order, beaconSecrets: [Hashing.sha256Hex("secret \(now.millis)")], now: now.adding(seconds: 30))
        return try #require(market.leases(ofOrder: order).first).id
    }

    @Test("every filter, cursor and limit gives the page a scan of every lease and dispute gives")
    func pagesAgreeWithAScan() throws {
        var world = try LeaseWorld()
        try world.commitAndReveal()
        let first = try world.dispute(segment: 3, at: LeaseWorld.revealAt.adding(seconds: 1))
        _ = try world.dispute(segment: 5, by: LeaseWorld.secondChallenger, at: LeaseWorld.revealAt.adding(seconds: 2))
        // More leases, their providers and submitters interleaved, so each index holds several
        // ids out of step with the others: second provider 2 and 4, third 3; the second
        // submitter's is 4.
        let second = Fixtures.account(0x51), third = Fixtures.account(0x52), otherSubmitter = Fixtures.account(0x53)
        var now = LeaseWorld.revealAt.adding(seconds: 3)
        for provider in [second, third] {
            _ = try world.market.mint(Fixtures.credits("50"), to: provider, now: now)
            _ = world.market.register(profile: Fixtures.profile(count: 4), for: provider, now: now)
            _ = try world.market.stake(Fixtures.credits("20"), account: provider, now: now)
        }
        _ = try world.market.mint(Fixtures.credits("100"), to: otherSubmitter, now: now)
        try Fixtures.uploadDataset(&world.market, by: otherSubmitter, now: now)
        var added: [LeaseID] = []
        for (provider, submitter) in [(second, Fixtures.submitter), (third, Fixtures.submitter), (second, otherSubmitter)] {
            added.append(try Self.award(&world.market, to: provider, from: submitter, at: now))
            now = now.adding(seconds: 40)
        }
        let market = world.market
        #expect(market.leases.count == 4)
        #expect(market.disputes.count == 2)
        let stranger = Fixtures.account(9)

        let leaseFilters: [LeaseFilter] = [LeaseFilter()]
            + Lease.State.allCases.map { LeaseFilter(state: $0) }
            + [world.provider, second, third, Fixtures.submitter, otherSubmitter, stranger].flatMap { [LeaseFilter(provider: $0), LeaseFilter(submitter: $0)] }
            + [LeaseFilter(state: .disputed, provider: world.provider, submitter: Fixtures.submitter)]
            + [LeaseFilter(state: .running, provider: second, submitter: Fixtures.submitter), LeaseFilter(provider: second, submitter: otherSubmitter)]
        for filter in leaseFilters {
            Self.expectPagesAgree(Array(market.leases.values), id: \.id.rawValue, afters: [0, world.leaseID.rawValue] + added.map(\.rawValue), "\(filter)") {
                market.leasePage(filter, after: $0, limit: $1)
            } matches: { filter.matches($0) }
        }
        #expect(market.leasePage(LeaseFilter(provider: world.provider), after: 0, limit: 5).map(\.id) == [world.leaseID])
        #expect(market.leasePage(LeaseFilter(provider: second), after: 0, limit: 5).map(\.id) == [added[0], added[2]])
        #expect(market.leasePage(LeaseFilter(provider: second), after: added[0].rawValue, limit: 5).map(\.id) == [added[2]])
        #expect(market.leasePage(LeaseFilter(submitter: Fixtures.submitter), after: 0, limit: 2).map(\.id) == [world.leaseID, added[0]])
        #expect(market.leasePage(LeaseFilter(submitter: stranger), after: 0, limit: 5).isEmpty)

        let disputeFilters: [DisputeFilter] = [DisputeFilter(), DisputeFilter(openOnly: true)]
            + [world.leaseID, LeaseID(99)].map { DisputeFilter(lease: $0) }
            + [world.provider, LeaseWorld.challenger, LeaseWorld.secondChallenger, stranger].map { DisputeFilter(account: $0) }
            + [DisputeFilter(lease: world.leaseID, account: LeaseWorld.challenger, openOnly: true)]
        for filter in disputeFilters {
            Self.expectPagesAgree(Array(market.disputes.values), id: \.id.rawValue, afters: [0, first.id.rawValue], "\(filter)") {
                market.disputePage(filter, after: $0, limit: $1)
            } matches: { filter.matches($0) }
        }
        #expect(market.disputePage(DisputeFilter(account: LeaseWorld.challenger), after: 0, limit: 5).map(\.id) == [first.id])
        #expect(market.disputePage(DisputeFilter(lease: world.leaseID), after: 0, limit: 5).count == 2)
    }

    @Test("the archive is asked only when it can hold a match: final leases, resolved disputes")
    func archiveAskedOnlyWhenItCanMatch() {
        for state in Lease.State.allCases {
            #expect(LeaseFilter(state: state).mayMatchArchived == state.isFinal)
        }
        #expect(LeaseFilter().mayMatchArchived)
        #expect(DisputeFilter().mayMatchArchived)
        #expect(!DisputeFilter(openOnly: true).mayMatchArchived)
    }
}
