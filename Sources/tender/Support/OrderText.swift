import Foundation
import TenderClient
import TenderCore

/// Orders and leases as people read them.
enum OrderText {
    /// The full description `tender job status` prints.
    static func details(_ view: API.OrderView, now: Date = Date()) -> [String] {
        let order = view.order
        let manifest = order.manifest
        var rows: [[String]] = [
            ["  submitter", order.submitter.hex],
            ["  manifest", "sha256:\(order.manifestHash)"],
            ["  max price", "\(manifest.pricing.maxPrice) credits, \(manifest.pricing.rule.rawValue)"],
            ["  escrow", "\(order.escrow) credits"],
            ["  created", Display.time(order.createdAt, now: now)],
            [order.state == .open ? "  closes" : "  closed", Display.time(order.closesAt, now: now)],
            ["  bids", bidSummary(order.bids)],
        ]
        if order.state == .open || view.leases.isEmpty {
            rows.append(["  pricing", PriceExplanation.beforeAuction(manifest.pricing, replicas: manifest.verification.replicas)])
        }
        for lease in view.leases {
            rows.append(["  lease \(lease.id)", leaseSummary(lease, manifest: manifest)])
            rows.append(["    price", PriceExplanation.cleared(manifest.pricing, bids: order.bids, winner: lease.provider, payment: lease.payment)])
        }
        return ["order \(order.id)  \(order.state.rawValue)  '\(manifest.name)' (\(manifest.kind.rawValue), \(manifest.workload.runtime.rawValue))"]
            + Display.table(rows)
    }

    static func bidSummary(_ bids: [Bid]) -> String {
        guard let lowest = bids.map(\.price).min() else { return "none yet" }
        return "\(bids.count) (lowest \(lowest))"
    }

    /// `running, provider 3f2a9c0d11e2, pays 1.200000, step 40/500, loss 0.3123`.
    static func leaseSummary(_ lease: API.LeaseView, manifest: JobManifest) -> String {
        let price = lease.state == .slashed || lease.state == .failed ? "would have paid \(lease.payment), escrow refunded" : "pays \(lease.payment)"
        var parts = [lease.state.rawValue, "provider \(lease.provider.short)", price]
        switch lease.state {
        case .running:
            parts.append(stepText(lease, manifest: manifest))
            if let loss = lease.lastLoss { parts.append("loss \(MarketNarrator.loss(loss))") }
            parts.append("deadline \(Display.time(lease.deadline))")
        case .committed, .auditing, .disputed:
            if let audit = lease.audit { parts.append("audit \(audit.checked) of \(audit.sampled + 1) checks") }
            if !lease.openDisputes.isEmpty { parts.append("\(lease.openDisputes.count) open dispute(s)") }
            if let windowEndsAt = lease.windowEndsAt { parts.append("challenge window ends \(Display.time(windowEndsAt))") }
        case .settled, .failed, .slashed:
            if let last = lease.timeline.last { parts.append(last.detail) }
        }
        return parts.joined(separator: ", ")
    }

    /// `step 40/500` when the manifest says how many steps there are, `step 40` otherwise.
    static func stepText(_ lease: API.LeaseView, manifest: JobManifest) -> String {
        manifest.totalSteps.map { "step \(lease.lastStep)/\($0)" } ?? "step \(lease.lastStep)"
    }
}
