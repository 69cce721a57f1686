import Foundation
import Testing
@testable import TenderCore

/// `GET /v1/leases` and `GET /v1/disputes` list through `leasePage` and `disputePage`: each page
/// is what filtering and sorting every record would give, whether or not an index is used.
@Suite("lease and dispute pages")
struct RecordPageTests {
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
            for after in [0, world.leaseID.rawValue] as [UInt64] {
                for limit in [0, 1, 5] {
                    let scan = market.leases.values.filter { $0.id.rawValue > after && filter.matches($0) }
                        .sorted { $0.id < $1.id }.prefix(limit).map(\.id)
                    #expect(market.leasePage(filter, after: after, limit: limit).map(\.id) == Array(scan), "\(filter) after \(after) limit \(limit)")
                }
            }
        }
        #expect(market.leasePage(LeaseFilter(provider: world.provider), after: 0, limit: 5).map(\.id) == [world.leaseID])
        #expect(market.leasePage(LeaseFilter(submitter: stranger), after: 0, limit: 5).isEmpty)

        let disputeFilters: [DisputeFilter] = [DisputeFilter(), DisputeFilter(openOnly: true)]
            + [world.leaseID, LeaseID(99)].map { DisputeFilter(lease: $0) }
            + [world.provider, LeaseWorld.challenger, LeaseWorld.secondChallenger, stranger].map { DisputeFilter(account: $0) }
            + [DisputeFilter(lease: world.leaseID, account: LeaseWorld.challenger, openOnly: true)]
        for filter in disputeFilters {
            for after in [0, first.id.rawValue] as [UInt64] {
                for limit in [0, 1, 5] {
                    let scan = market.disputes.values.filter { $0.id.rawValue > after && filter.matches($0) }
                        .sorted { $0.id < $1.id }.prefix(limit).map(\.id)
                    #expect(market.disputePage(filter, after: after, limit: limit).map(\.id) == Array(scan), "\(filter) after \(after) limit \(limit)")
                }
            }
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
