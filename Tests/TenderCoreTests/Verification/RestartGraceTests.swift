import Foundation
import Testing
@testable import TenderCore

/// A controller that was down could not hear anyone: on restart, limits that fell due meanwhile
/// get a fresh allowance, so nobody loses a lease or a dispute to the outage.
@Suite("Restart grace")
struct RestartGraceTests {
    typealias W = LeaseWorld

    @Test("a running lease whose heartbeat and deadline passed during the outage gets a fresh grace period")
    func runningLease() throws {
        var world = try W()
        let late = try world.lease().deadline.adding(seconds: 10)
        let change = world.market.resume(now: late)
        let lease = try world.lease()
        #expect(lease.state == .running)
        #expect(lease.heartbeatDeadline == late.adding(seconds: world.market.policy.heartbeatGraceSeconds))
        #expect(lease.deadline == late.adding(seconds: world.market.policy.heartbeatGraceSeconds))
        #expect(change.deadlines.contains(Deadline(kind: .leaseCheck, subject: world.leaseID.rawValue, at: lease.nextCheck)))
        // The clock's check at the old deadline now finds nothing due.
        _ = try world.market.checkLease(world.leaseID, now: late)
        #expect(try world.lease().state == .running)
    }

    @Test("a dispute move that fell due during the outage is due again a full move period after restart; far limits stay")
    func disputeMove() throws {
        var world = try W()
        try world.commitAndReveal()
        let dispute = try world.dispute(at: W.revealAt)
        let due = try #require(dispute.moveDeadline)
        let restart = due.adding(seconds: 30)
        let change = world.market.resume(now: restart)
        let resumed = try world.dispute(dispute.id)
        #expect(resumed.moveDeadline == restart.adding(seconds: world.market.policy.disputeMoveSeconds))
        #expect(resumed.turn == .provider)
        #expect(change.disputes == [dispute.id])
        // Nothing expires at the restart itself.
        _ = try world.market.expireDispute(dispute.id, now: restart)
        #expect(try world.dispute(dispute.id).isResolved == false)
        // A limit comfortably ahead is left alone.
        #expect(world.market.resume(now: restart).disputes.isEmpty)
    }

    @Test("an audit's availability deadline that passed during the outage is moved forward")
    func availability() throws {
        var world = try W()
        try world.commitAndReveal()
        let restart = W.availableUntil.adding(seconds: 5)
        _ = world.market.resume(now: restart)
        let audit = try #require(try world.lease().audit)
        #expect(audit.availableUntil == restart.adding(seconds: world.market.policy.availabilitySeconds))
    }
}
