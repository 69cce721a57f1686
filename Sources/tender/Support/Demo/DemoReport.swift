import Foundation
import TenderClient
import TenderControllerService
import TenderCore
import TenderWorkloads

/// What the demo shows at the end: each job's outcome, the providers, the ledger, and whether
/// everything verified as it should (the honest jobs settled, the cheater slashed, the ledger
/// consistent with its signed journal).
struct DemoReport: Encodable {
    struct Bid: Encodable {
        var provider: String
        var price: Amount
    }

    struct Job: Encodable {
        var order: OrderID
        var name: String
        var orderState: Order.State
        var bids: [Bid]
        var lease: LeaseID?
        var winner: String?
        var price: Amount?
        var priceExplanation: String?
        var state: Lease.State?
        var root: String?
        var finalStateHash: String?
        var resultHash: String?
        var accuracy: String?
        /// e.g. "4 of 20 passed" (4 of 20 segments re-executed), "failed".
        var audit: String?
        /// Who proved the provider wrong, for a slashed lease: "audit" or "challenger".
        var caughtBy: String?
        var slashed: Amount?
    }

    struct Provider: Encodable {
        var name: String
        var account: AccountID
        var available: Amount
        var staked: Amount
        var reputationBasisPoints: Int
        var jailed: Bool
    }

    struct Ledger: Encodable {
        var sequence: UInt64
        var minted: Amount
        var burned: Amount
        var outstanding: Amount
        var holdings: [String: Amount]
        var verified: Bool
        var problems: [String]
    }

    var controller: String
    var seconds: Double
    var jobs: [Job]
    var providers: [Provider]
    var ledger: Ledger
    var passed: Bool
    var problems: [String]

    static func make(run: DemoRun, orders: [API.OrderView]) async throws -> DemoReport {
        let client = run.observer
        var jobs: [Job] = []
        for view in orders {
            // Results are the submitter's to read.
            jobs.append(await job(view, names: run.names, client: run.submitter))
        }
        var providers: [Provider] = []
        for provider in DemoScenario.providers {
            guard let account = run.accounts[provider.key] else { continue }
            let view = try await client.account(account)
            providers.append(Provider(
                name: provider.key, account: account, available: view.balances.available, staked: view.balances.staked,
                reputationBasisPoints: view.reputationBasisPoints, jailed: view.jailedUntil.map { $0 > Timestamp.wallClock } ?? false
            ))
        }
        let audit = try await client.auditLedger()
        let totals = try await client.supply()
        var holdings: [String: Amount] = [:]
        for bucket in Bucket.holderBuckets { holdings[bucket.rawValue] = totals.holdings[bucket] }
        let ledger = Ledger(
            sequence: audit.head?.sequence ?? 0, minted: totals.minted, burned: totals.burned, outstanding: totals.outstanding,
            holdings: holdings, verified: audit.isValid, problems: audit.problems
        )
        var report = DemoReport(
            controller: run.controller.url.absoluteString, seconds: run.story.seconds, jobs: jobs, providers: providers,
            ledger: ledger, passed: false, problems: []
        )
        report.problems = report.verdict()
        report.passed = report.problems.isEmpty
        return report
    }

    private static func job(_ view: API.OrderView, names: [AccountID: String], client: TenderAPIClient) async -> Job {
        let order = view.order
        func name(_ account: AccountID) -> String { names[account] ?? account.short }
        var job = Job(
            order: order.id, name: order.manifest.name, orderState: order.state,
            bids: order.bids.map { Bid(provider: name($0.provider), price: $0.price) }
        )
        guard let lease = view.leases.first else { return job }
        job.lease = lease.id
        job.winner = name(lease.provider)
        job.price = lease.payment
        job.priceExplanation = PriceExplanation.cleared(order.manifest.pricing, bids: order.bids, winner: lease.provider, payment: lease.payment)
        job.state = lease.state
        job.root = lease.commitment?.root
        job.finalStateHash = lease.commitment?.finalStateHash
        job.resultHash = lease.commitment?.resultHash
        if let audit = lease.audit {
            job.audit = audit.failed ? "failed" : audit.passed ? "\(audit.sampled) of \(audit.segmentCount) passed" : "running"
        }
        if lease.state == .slashed {
            job.caughtBy = lease.timeline.contains { $0.kind == .auditFailed } ? "audit" : "challenger"
            job.slashed = lease.timeline.last { $0.kind == .slashed }?.amount
        }
        if let hash = lease.commitment?.resultHash, let data = try? await client.artifact(sha256: hash) {
            if let result = try? JSONDecoder().decode(MLPTrainResult.self, from: data) {
                job.accuracy = result.heldOutAccuracy + " held-out"
            } else if let result = try? JSONDecoder().decode(MLPInferResult.self, from: data) {
                job.accuracy = result.accuracy
            }
        }
        return job
    }

    /// Everything that did not end as the demo means it to.
    func verdict() -> [String] {
        var problems: [String] = []
        for job in jobs {
            let cheaterJob = job.name == DemoScenario.cheatersJob
            guard let state = job.state else {
                problems.append("order \(job.order) '\(job.name)' was not awarded (\(job.orderState.rawValue))")
                continue
            }
            if cheaterJob {
                if job.winner != DemoScenario.cheater { problems.append("'\(job.name)' was won by \(job.winner ?? "nobody"), not the cheater") }
                if state != .slashed { problems.append("the cheater's lease \(job.lease ?? 0) ended \(state.rawValue), not slashed") }
            } else {
                if job.winner == DemoScenario.cheater { problems.append("the cheater won '\(job.name)', placed where it does not run") }
                if state != .settled { problems.append("'\(job.name)' (lease \(job.lease ?? 0), \(job.winner ?? "?")) ended \(state.rawValue), not settled") }
            }
        }
        if !ledger.verified { problems.append("ledger verify: " + ledger.problems.joined(separator: "; ")) }
        return problems
    }

    /// The summary as a person reads it.
    var text: [String] {
        var lines = ["", "Jobs"]
        var rows = [["ORDER", "JOB", "BIDS", "WINNER", "PRICE", "ACCURACY", "ROOT", "AUDIT", "OUTCOME"]]
        for job in jobs {
            let bids = job.bids.map { "\($0.provider) \($0.price)" }.joined(separator: ", ")
            var outcome = job.state?.rawValue ?? job.orderState.rawValue
            if let slashed = job.slashed { outcome += " \(slashed)" }
            if let caughtBy = job.caughtBy { outcome += " (caught by the \(caughtBy))" }
            rows.append([
                "\(job.order)", job.name, bids.isEmpty ? "-" : bids, job.winner ?? "-", job.price.map { "\($0)" } ?? "-",
                job.accuracy ?? "-", job.root.map { String($0.prefix(12)) + "…" } ?? "-", job.audit ?? "-", outcome,
            ])
        }
        lines += Display.table(rows).map { "  " + $0 }
        for job in jobs { if let why = job.priceExplanation { lines.append("  order \(job.order): \(why)") } }
        lines += ["", "Providers"]
        var providerRows = [["PROVIDER", "AVAILABLE", "STAKED", "REPUTATION", "JAILED"]]
        for provider in providers {
            providerRows.append([
                provider.name, "\(provider.available)", "\(provider.staked)",
                String(format: "%.2f%%", Double(provider.reputationBasisPoints) / 100), provider.jailed ? "yes" : "no",
            ])
        }
        lines += Display.table(providerRows).map { "  " + $0 }
        lines += ["", "Ledger (journal sequence \(ledger.sequence))"]
        var ledgerRows = [["minted", "\(ledger.minted)"], ["burned", "\(ledger.burned)"], ["outstanding", "\(ledger.outstanding)"]]
        for bucket in Bucket.holderBuckets { ledgerRows.append(["  " + bucket.rawValue, "\(ledger.holdings[bucket.rawValue] ?? .zero)"]) }
        lines += Display.table(ledgerRows).map { "  " + $0 }
        lines.append(ledger.verified
            ? "  ledger verify: ok: every entry's hash chain checked, each vouched for by the controller's signature, and replaying the journal gives these totals"
            : "  ledger verify: FAILED: " + ledger.problems.joined(separator: "; "))
        lines.append("")
        lines.append(passed
            ? "demo passed in \(Int(seconds))s: the honest jobs settled, the cheater was slashed, the ledger verified"
            : "demo FAILED: " + problems.joined(separator: "; "))
        return lines
    }
}
