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

    @Test("every filter, cursor and limit gives the page a scan of every lease and dispute gives")
    func pagesAgreeWithAScan() throws {
        var world = try LeaseWorld()
        try world.commitAndReveal()
        let first = try world.dispute(segment: 3, at: LeaseWorld.revealAt.adding(seconds: 1))
        _ = try world.dispute(segment: 5, by: LeaseWorld.secondChallenger, at: LeaseWorld.revealAt.adding(seconds: 2))
        let market = world.market
        #expect(market.disputes.count == 2)
        let stranger = Fixtures.account(9)

        let leaseFilters: [LeaseFilter] = [LeaseFilter()]
            + Lease.State.allCases.map { LeaseFilter(state: $0) }
            + [world.provider, Fixtures.submitter, stranger].flatMap { [LeaseFilter(provider: $0), LeaseFilter(submitter: $0)] }
            + [LeaseFilter(state: .disputed, provider: world.provider, submitter: Fixtures.submitter)]
        for filter in leaseFilters {
            Self.expectPagesAgree(Array(market.leases.values), id: \.id.rawValue, afters: [0, world.leaseID.rawValue], "\(filter)") {
                market.leasePage(filter, after: $0, limit: $1)
            } matches: { filter.matches($0) }
        }
        #expect(market.leasePage(LeaseFilter(provider: world.provider), after: 0, limit: 5).map(\.id) == [world.leaseID])
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
