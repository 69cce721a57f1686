import Foundation
import TenderClient
import TenderCore

/// `tender challenge watch`: follows the leases under verification (committed, auditing,
/// disputed) page by page and checks each one once, with the challenger's own choice of segments.
///
/// A lease is remembered once checked, or once its check failed for a reason that will not pass;
/// when the controller cannot be reached the lease in hand is left for the next pass.
struct ChallengeWatch {
    static let states: [Lease.State] = [.committed, .auditing, .disputed]
    static let pageSize = 50

    /// A lease or dispute that could not be checked or played.
    struct Failure: Encodable {
        var lease: LeaseID
        var dispute: DisputeID?
        var error: String
    }

    let client: TenderAPIClient
    let challenger: Challenger
    let me: AccountID
    let samples: Int
    let output: ChallengeOutput
    var generator: SplitMixGenerator
    private(set) var checked: Set<LeaseID> = []
    private(set) var reports: [ChallengeReport] = []
    /// Open disputes of this account's, left by an earlier run and played to their ruling.
    private(set) var resumed: [DisputeOutcome] = []
    private(set) var failures: [Failure] = []
    private(set) var ownLeases = 0
    private var resumedOpenDisputes = false

    init(client: TenderAPIClient, challenger: Challenger, me: AccountID, samples: Int, output: ChallengeOutput, generator: SplitMixGenerator) {
        self.client = client
        self.challenger = challenger
        self.me = me
        self.samples = samples
        self.output = output
        self.generator = generator
    }

    /// One pass: first (once) the open disputes an earlier run left, then every lease under
    /// verification not checked yet. Stops early, between leases, once `stop` is requested.
    /// Throws only when the controller cannot be reached.
    mutating func pass(stop: Interrupt?) async throws(ChallengeError) {
        if !resumedOpenDisputes {
            try await resumeOpenDisputes(stop: stop)
            resumedOpenDisputes = true
        }
        for state in Self.states {
            var after: UInt64?
            repeat {
                let page: API.LeaseList
                do { page = try await client.leases(state: state, after: after, limit: Self.pageSize) } catch { throw .client(error) }
                for lease in page.leases where !checked.contains(lease.id) {
                    if stop?.isRequested == true { return }
                    try await check(lease)
                }
                after = page.next
            } while after != nil
        }
    }

    private mutating func resumeOpenDisputes(stop: Interrupt?) async throws(ChallengeError) {
        var open: [API.DisputeView] = []
        var after: UInt64?
        repeat {
            let page: API.DisputeList
            do { page = try await client.disputes(account: me, openOnly: true, after: after, limit: Self.pageSize) } catch { throw .client(error) }
            open += page.disputes.filter { $0.challenger == me && $0.ruling == nil }
            after = page.next
        } while after != nil
        for dispute in open {
            if stop?.isRequested == true { return }
            do {
                let outcome = try await challenger.resume(dispute)
                resumed.append(outcome)
                checked.insert(dispute.lease)
            } catch {
                if error.isUnreachable { throw error }
                checked.insert(dispute.lease)
                failures.append(Failure(lease: dispute.lease, dispute: dispute.id, error: error.description))
                output.line("dispute \(dispute.id) on lease \(dispute.lease): could not be played: \(error.description)")
            }
        }
    }

    private mutating func check(_ lease: API.LeaseView) async throws(ChallengeError) {
        guard lease.provider != me else {
            // The controller refuses a provider's dispute of its own lease.
            checked.insert(lease.id)
            ownLeases += 1
            output.line("lease \(lease.id): skipped, this account is its provider")
            return
        }
        do {
            let segments = try Challenger.segments(for: lease, samples: samples, using: &generator)
            let report = try await challenger.check(lease, segments: segments)
            checked.insert(lease.id)
            reports.append(report)
            if let line = ChallengeText.balance(report) { output.line(line) }
        } catch {
            if error.isUnreachable { throw error }
            checked.insert(lease.id)
            failures.append(Failure(lease: lease.id, dispute: nil, error: error.description))
            output.line("lease \(lease.id): not checked: \(error.description)")
        }
    }

    // MARK: - Summary

    /// What a watch checked and earned, printed at its end.
    struct Summary: Encodable {
        var account: AccountID
        var leasesChecked: Int
        var segmentsChecked: Int
        /// Checks by verdict: passed, mismatch, unavailable, invalid.
        var verdicts: [String: Int]
        var disputesPlayed: Int
        var disputesWon: Int
        var disputesLost: Int
        var disputesVoided: Int
        var disputesUnfinished: Int
        var bondsLost: Amount
        /// Slash shares won.
        var earned: Amount
        var availableBefore: Amount
        var availableAfter: Amount?
        /// Available after minus before, micro-credits; includes anything else that moved the
        /// account meanwhile.
        var availableChange: Int64?
        var interrupted: Bool
        var ownLeasesSkipped: Int
        var reports: [ChallengeReport]
        var resumed: [DisputeOutcome]
        var failures: [Failure]
    }

    func summary(availableBefore: Amount, availableAfter: Amount?, interrupted: Bool) -> Summary {
        let outcomes = reports.flatMap(\.disputes) + resumed
        var verdicts: [String: Int] = [:]
        for verdict in [AuditCheck.Verdict.passed, .mismatch, .unavailable, .invalid] {
            verdicts[verdict.rawValue] = reports.reduce(0) { $0 + $1.count(verdict) }
        }
        return Summary(
            account: me, leasesChecked: reports.count, segmentsChecked: reports.reduce(0) { $0 + $1.checks.count },
            verdicts: verdicts, disputesPlayed: outcomes.count, disputesWon: outcomes.filter(\.won).count,
            disputesLost: outcomes.filter(\.lost).count,
            disputesVoided: outcomes.filter { $0.isResolved && $0.dispute.ruling?.winner == nil }.count,
            disputesUnfinished: outcomes.filter { !$0.isResolved }.count,
            bondsLost: Self.sum(outcomes.filter(\.lost).map(\.dispute.bond)), earned: Self.sum(outcomes.map(\.slashShare)),
            availableBefore: availableBefore, availableAfter: availableAfter,
            availableChange: availableAfter.map { $0.micros - availableBefore.micros }, interrupted: interrupted,
            ownLeasesSkipped: ownLeases, reports: reports, resumed: resumed, failures: failures
        )
    }

    private static func sum(_ amounts: [Amount]) -> Amount {
        amounts.reduce(Amount.zero) { total, amount in (try? total.adding(amount)) ?? total }
    }

    /// The summary as people read it.
    static func lines(_ summary: Summary) -> [String] {
        let verdicts = ["passed", "mismatch", "unavailable", "invalid"].map { "\(summary.verdicts[$0] ?? 0) \($0)" }
        let prefix = summary.interrupted ? "stopped: " : ""
        let leases = summary.leasesChecked == 1 ? "1 lease" : "\(summary.leasesChecked) leases"
        let headline = "\(prefix)checked \(leases), \(summary.segmentsChecked) segments: \(verdicts.joined(separator: ", "))"
        var disputes = "\(summary.disputesPlayed) played: \(summary.disputesWon) won, \(summary.disputesLost) lost, \(summary.disputesVoided) voided"
        if summary.disputesUnfinished > 0 { disputes += ", \(summary.disputesUnfinished) unfinished" }
        var rows: [[String]] = [
            ["  disputes", disputes],
            ["  earned", "\(summary.earned) in slash shares"],
            ["  bonds lost", summary.bondsLost.description],
        ]
        if let after = summary.availableAfter, let change = summary.availableChange {
            rows.append(["  available", "\(summary.availableBefore) -> \(after) (\(ChallengeText.signed(change)))"])
        }
        if summary.ownLeasesSkipped > 0 { rows.append(["  skipped", "\(summary.ownLeasesSkipped) of this account's own leases"]) }
        if !summary.failures.isEmpty {
            rows.append(["  not checked", summary.failures.map { "lease \($0.lease)" }.joined(separator: ", ")])
        }
        return [headline] + Display.table(rows)
    }
}
