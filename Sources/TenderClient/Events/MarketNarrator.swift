import Foundation
import TenderCore

/// Turns the market's event stream into sentences a person follows as they happen: orders and
/// their bids, who won and why the price is what it is, training progress, and each entry of a
/// lease's timeline (commitment, beacon, audit, disputes, settlement or slashing).
///
/// A pure value: feed it events in stream order, print what it returns. Events repeat whole
/// records, so it remembers how much of each it has told and tells only what is new; a `reset`
/// changes nothing (the records that follow are compared with what was already told).
public struct MarketNarrator: Sendable {
    /// Names to print instead of account ids, e.g. the demo's "honest-1".
    public var names: [AccountID: String]
    /// How many progress lines a job with a known step count gets, evenly spaced.
    public var progressLines: Int

    private var orders: [OrderID: Order] = [:]
    private var bidsTold: [OrderID: Int] = [:]
    private var timelineTold: [LeaseID: Int] = [:]
    private var progressTold: [LeaseID: Int] = [:]
    private var movesTold: [DisputeID: Int] = [:]
    private var rulingsTold: Set<DisputeID> = []

    public init(names: [AccountID: String] = [:], progressLines: Int = 4) {
        self.names = names
        self.progressLines = max(progressLines, 1)
    }

    public mutating func narrate(_ event: API.MarketEvent) -> [String] {
        switch event.kind {
        case .order: event.order.map { narrate(order: $0) } ?? []
        case .lease: event.lease.map { narrate(lease: $0) } ?? []
        case .dispute: event.dispute.map { narrate(dispute: $0) } ?? []
        case .reset: []
        }
    }

    /// The account's name, or its short id.
    public func name(_ account: AccountID) -> String { names[account] ?? account.short }

    private func label(_ order: OrderID) -> String {
        orders[order].map { "order \(order) '\($0.manifest.name)'" } ?? "order \(order)"
    }

    private mutating func narrate(order: Order) -> [String] {
        var lines: [String] = []
        let previous = orders[order.id]
        orders[order.id] = order
        if previous == nil {
            let pricing = order.manifest.pricing
            lines.append("\(label(order.id)) submitted by \(name(order.submitter)): maximum \(pricing.maxPrice) credits, "
                + "\(pricing.rule.rawValue), auction of \(pricing.auctionSeconds)s")
        }
        let told = bidsTold[order.id] ?? 0
        for bid in order.bids.dropFirst(told) {
            lines.append("  bid on order \(order.id): \(name(bid.provider)) offers \(bid.price)")
        }
        bidsTold[order.id] = max(told, order.bids.count)
        if previous?.state != order.state {
            switch order.state {
            case .expired: lines.append("\(label(order.id)) expired: no eligible bid; escrow refunded")
            case .cancelled: lines.append("\(label(order.id)) cancelled; escrow refunded")
            case .open, .awarded: break
            }
        }
        return lines
    }

    private mutating func narrate(lease: API.LeaseView) -> [String] {
        var lines: [String] = []
        let who = "lease \(lease.id) (\(name(lease.provider)))"
        let told = timelineTold[lease.id] ?? 0
        // Progress first: heartbeats come before the commitment they lead to.
        if lease.state == .running, let line = progress(of: lease, who: who) { lines.append(line) }
        for entry in lease.timeline.dropFirst(told) {
            lines.append(describe(entry, lease: lease, who: who))
        }
        timelineTold[lease.id] = max(told, lease.timeline.count)
        return lines
    }

    private mutating func progress(of lease: API.LeaseView, who: String) -> String? {
        guard lease.lastStep > 0 else { return nil }
        let loss = lease.lastLoss.map { ", loss \(Self.loss($0))" } ?? ""
        guard let total = orders[lease.order]?.manifest.totalSteps, total > 0 else {
            // Without a known total, say once that it is under way.
            guard progressTold[lease.id] == nil else { return nil }
            progressTold[lease.id] = 0
            return "\(who) running: step \(lease.lastStep)\(loss)"
        }
        let reached = Int(min(lease.lastStep, Int64(total)) * Int64(progressLines) / Int64(total))
        guard reached > (progressTold[lease.id] ?? 0) else { return nil }
        progressTold[lease.id] = reached
        let percent = min(lease.lastStep, Int64(total)) * 100 / Int64(total)
        return "\(who) \(TextProgressBar.text(fraction: Double(percent) / 100, width: 20)) step \(lease.lastStep)/\(total)\(loss)"
    }

    private func describe(_ entry: LeaseEvent, lease: API.LeaseView, who: String) -> String {
        switch entry.kind {
        case .awarded:
            guard let order = orders[lease.order] else { return "\(who) won order \(lease.order) at \(lease.payment)" }
            let why = PriceExplanation.cleared(order.manifest.pricing, bids: order.bids, winner: lease.provider, payment: lease.payment)
            return "\(label(lease.order)) awarded to \(name(lease.provider)) as lease \(lease.id); \(why)"
        case .committed:
            let root = lease.commitment.map { " root \($0.root.prefix(16))…, \(max($0.leafCount - 1, 0)) segments," } ?? ""
            return "\(who) committed\(root) collateral \(lease.collateral) locked"
        case .beaconRevealed: return "\(who) beacon revealed: the audit's segments are now fixed"
        case .auditPassed: return "\(who) AUDIT PASSED: \(entry.detail)"
        case .auditFailed: return "\(who) AUDIT FAILED: \(entry.detail)"
        case .disputeOpened: return "\(who) dispute opened: \(entry.detail)"
        case .disputeClosed: return "\(who) dispute closed: \(entry.detail)"
        case .settled: return "\(who) SETTLED: \(entry.detail)"
        case .slashed: return "\(who) SLASHED: \(entry.detail)"
        case .failed: return "\(who) failed: \(entry.detail)"
        }
    }

    private mutating func narrate(dispute: API.DisputeView) -> [String] {
        var lines: [String] = []
        let who = "dispute \(dispute.id) on lease \(dispute.lease)"
        let told = movesTold[dispute.id]
        if told == nil {
            lines.append("\(who): \(name(dispute.challenger)) challenges \(name(dispute.provider)) at segment \(dispute.segment), bond \(dispute.bond)")
        }
        let moves = dispute.moves.count
        if moves > (told ?? 0), case .awaitingState(let range, _) = dispute.phase {
            lines.append("\(who): narrowed to one step, \(range.lowStep) → \(range.highStep), after \(moves) moves; the referee re-executes it")
        }
        movesTold[dispute.id] = max(told ?? 0, moves)
        if let ruling = dispute.ruling, !rulingsTold.contains(dispute.id) {
            rulingsTold.insert(dispute.id)
            let winner = ruling.winner.map { $0 == .challenger ? name(dispute.challenger) : name(dispute.provider) } ?? "nobody"
            lines.append("\(who) ruled (\(ruling.reason.rawValue)): \(winner) wins; \(ruling.detail)")
        }
        return lines
    }

    /// A loss to four decimals; any double a provider reports prints, none traps.
    public static func loss(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        return String(format: abs(value) < 1e6 ? "%.4f" : "%.4g", value)
    }
}
