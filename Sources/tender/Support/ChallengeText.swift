import Foundation
import TenderClient
import TenderCore

/// Challenges and disputes as people read them.
enum ChallengeText {
    // MARK: - As it happens

    /// `lease 7 (provider 1a2b3c4d5e6f): 4 of 120 segments: 3 ok, 17 ok, 54 MISMATCH, 99 unavailable`
    static func checked(lease: LeaseID, provider: AccountID?, segmentCount: Int, checks: [AuditCheck]) -> String {
        let who = provider.map { " (provider \($0.short))" } ?? ""
        let verdicts = checks.map { check in "\(check.segment.map(String.init) ?? "result") \(verdict(check.verdict))" }
        return "lease \(lease)\(who): \(checks.count) of \(segmentCount) segments: " + (verdicts.isEmpty ? "none" : verdicts.joined(separator: ", "))
    }

    static func verdict(_ verdict: AuditCheck.Verdict) -> String {
        switch verdict {
        case .passed: "ok"
        case .mismatch: "MISMATCH"
        case .unavailable: "unavailable"
        case .invalid: "INVALID"
        case .waived: "waived"
        }
    }

    /// `  dispute 3 opened on lease 7 segment 54: claims 1a2b3c4d5e6f… (provider says 9f8e7d6c5b4a…), bond 0.200000`
    static func opened(_ view: API.DisputeView, resumed: Bool) -> String {
        let what = resumed ? "picked up" : "opened"
        var text = "  dispute \(view.id) \(what) on lease \(view.lease) segment \(view.segment): claims \(view.claim.prefix(12))…"
        if let range = view.range { text += " (provider says \(range.highHash.prefix(12))… after step \(range.highStep))" }
        return text + ", bond \(view.bond)"
    }

    /// `  dispute 3: provider names step 60: 1a2b3c4d5e6f…`
    static func moved(_ id: DisputeID, _ record: Dispute.MoveRecord) -> String {
        "  dispute \(id): \(record.by.rawValue) \(move(record.move))"
    }

    static func move(_ move: DisputeMove) -> String {
        switch move {
        case .midpoint(let step, let hash): "names the state after step \(step): \(hash.prefix(12))…"
        case .agree(let step): "agrees with the state after step \(step)"
        case .disagree(let step): "disagrees with the state after step \(step)"
        case .state(let step): "uploaded the state after step \(step) for the referee"
        }
    }

    /// `  dispute 3 ruled: challenger wins (referee-step): …; bond returned, slash share 0.400000 earned`
    static func ruled(_ outcome: DisputeOutcome) -> String {
        guard let ruling = outcome.dispute.ruling else { return "  dispute \(outcome.dispute.id): not ruled yet" }
        var text = "  dispute \(outcome.dispute.id) ruled: \(winner(ruling)) (\(ruling.reason.rawValue)): \(ruling.detail)"
        switch outcome.bond {
        case .returned: text += "; bond \(outcome.dispute.bond) returned"
        case .forfeited: text += "; bond \(outcome.dispute.bond) lost"
        case .held: break
        }
        if !outcome.slashShare.isZero { text += ", slash share \(outcome.slashShare) earned" }
        return text
    }

    static func winner(_ ruling: Dispute.Ruling) -> String {
        switch ruling.winner {
        case .challenger: "challenger wins"
        case .provider: "provider wins"
        case nil: "voided"
        }
    }

    /// The balance line after a lease's disputes: `lease 7: available 10.000000 -> 10.400000 (+0.400000)`.
    static func balance(_ report: ChallengeReport) -> String? {
        guard let before = report.availableBefore, let after = report.availableAfter else { return nil }
        return "lease \(report.lease): available \(before) -> \(after) (\(signed(report.availableChange)))"
    }

    /// Signed credits: `+0.400000`, `-0.200000`, `0.000000`.
    static func signed(_ micros: Int64) -> String {
        let magnitude = (try? Amount(micros: micros == .min ? .max : abs(micros))) ?? .zero
        return micros > 0 ? "+\(magnitude)" : micros < 0 ? "-\(magnitude)" : "\(magnitude)"
    }

    // MARK: - Disputes (`tender challenge status`)

    /// Who moves next and by when, or that the referee rules next, or the ruling.
    static func state(_ view: API.DisputeView) -> String {
        if let ruling = view.ruling { return winner(ruling) }
        guard let turn = view.turn else { return "the referee rules next" }
        let deadline = view.moveDeadline.map { " by \(Display.clock($0))" } ?? ""
        return "\(turn.rawValue)'s move\(deadline)"
    }

    /// One row per dispute.
    static func table(_ disputes: [API.DisputeView]) -> [String] {
        let rows = [["ID", "LEASE", "SEGMENT", "PHASE", "NEXT", "BOND", "OPENED"]] + disputes.map { view in
            [view.id.description, view.lease.description, String(view.segment), view.phase.name, state(view),
             view.bond.description, Display.clock(view.openedAt)]
        }
        return Display.table(rows)
    }

    /// The full description of one dispute.
    static func details(_ view: API.DisputeView, now: Date = Date()) -> [String] {
        var rows: [[String]] = [
            ["  lease", "\(view.lease), segment \(view.segment)"],
            ["  provider", view.provider.hex],
            ["  challenger", view.challenger.hex],
            ["  claim", view.claim],
            ["  bond", view.bond.description],
            ["  opened", Display.time(view.openedAt, now: now)],
            ["  phase", view.phase.name],
        ]
        if let range = view.range {
            rows.append(["  agreed", "after step \(range.lowStep): \(range.lowHash)"])
            rows.append(["  disputed", "after step \(range.highStep): provider says \(range.highHash)"])
            if case .awaitingVerdict(_, let midpointHash, _) = view.phase {
                rows.append(["  midpoint", "after step \(range.midpoint): provider says \(midpointHash)"])
            }
        }
        if view.ruling == nil {
            if let turn = view.turn {
                rows.append(["  turn", turn.rawValue])
                if let deadline = view.moveDeadline { rows.append(["  deadline", Display.time(deadline, now: now)]) }
            } else {
                rows.append(["  turn", "the referee executes one step and rules"])
            }
        }
        for (index, record) in view.moves.enumerated() {
            rows.append([index == 0 ? "  moves" : "", "\(Display.clock(record.at))  \(record.by.rawValue) \(move(record.move))"])
        }
        if let ruling = view.ruling {
            rows.append(["  ruling", "\(winner(ruling)) (\(ruling.reason.rawValue)) at \(Display.clock(ruling.at))"])
            rows.append(["", ruling.detail])
            if let step = ruling.step, let hash = ruling.refereeHash {
                rows.append(["  referee", "one step from step \(step) gives \(hash)"])
            }
        }
        return ["dispute \(view.id)  \(view.phase.name)"] + Display.table(rows)
    }
}
