import Foundation
import Testing
import TenderClient
import TenderCore

/// What a challenger reports: the fate of its bond, its slash share, its balance change.
@Suite("Challenge outcomes")
struct ChallengeOutcomeTests {
    static let provider = KeyPair().account
    static let challenger = KeyPair().account
    static let hash = Hashing.sha256Hex("claim")

    /// A dispute view as the controller serves it; resolved with `winner` unless `open`.
    static func dispute(winner: String?, open: Bool = false) throws -> API.DisputeView {
        var ruling: [String: Any] = ["reason": "referee-step", "detail": "one step decides", "at": 5_000]
        if let winner { ruling["winner"] = winner }
        let range: [String: Any] = ["lowStep": 10, "lowHash": hash, "highStep": 11, "highHash": hash]
        var object: [String: Any] = [
            "id": 3, "lease": 7, "provider": provider.hex, "challenger": challenger.hex, "segment": 2, "bond": 400_000,
            "claim": hash, "openedAt": 1_000, "moves": [Any](),
        ]
        if open {
            object["phase"] = ["kind": "awaiting-ruling", "range": range] as [String: Any]
        } else {
            object["phase"] = ["kind": "resolved", "ruling": ruling] as [String: Any]
            object["ruling"] = ruling
        }
        return try JSONDecoder().decode(API.DisputeView.self, from: JSONSerialization.data(withJSONObject: object))
    }

    @Test("a won dispute returns the bond and pays 40% of the collateral; a lost one forfeits the bond; a voided one returns it")
    func bondAndShare() throws {
        let collateral = try Amount.credits(2)
        let share = try Amount(micros: 800_000)
        let won = DisputeOutcome(try Self.dispute(winner: "challenger"), collateral: collateral)
        #expect(won.won && !won.lost && won.isResolved)
        #expect(won.bond == .returned)
        #expect(won.slashShare == share)

        let lost = DisputeOutcome(try Self.dispute(winner: "provider"), collateral: collateral)
        #expect(lost.lost && !lost.won)
        #expect(lost.bond == .forfeited)
        #expect(lost.slashShare == .zero)

        let voided = DisputeOutcome(try Self.dispute(winner: nil), collateral: collateral)
        #expect(!voided.won && !voided.lost && voided.isResolved)
        #expect(voided.bond == .returned)
        #expect(voided.slashShare == .zero)

        let open = DisputeOutcome(try Self.dispute(winner: nil, open: true), collateral: collateral)
        #expect(!open.isResolved)
        #expect(open.bond == .held)
    }

    @Test("a report's balance change is after minus before, and it is in the JSON")
    func balanceChange() throws {
        let check = AuditCheck(segment: 2, verdict: .mismatch, expected: Self.hash, computed: Hashing.sha256Hex("mine"), detail: "differs", at: Timestamp(millis: 1))
        var report = ChallengeReport(lease: 7, order: 3, provider: Self.provider, segmentCount: 10, checks: [check])
        #expect(report.availableChange == 0)
        #expect(report.segments == [2])
        #expect(report.count(.mismatch) == 1)
        report.disputes = [DisputeOutcome(try Self.dispute(winner: "challenger"), collateral: try Amount.credits(1))]
        report.availableBefore = try Amount.credits(10)
        report.availableAfter = try Amount(micros: 10_400_000)
        let share = try Amount(micros: 400_000)
        #expect(report.availableChange == 400_000)
        #expect(report.earned == share)

        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["availableChange"] as? Int == 400_000)
        #expect(try JSONDecoder().decode(ChallengeReport.self, from: data) == report)

        report.availableAfter = try Amount(micros: 9_600_000)
        #expect(report.availableChange == -400_000)
    }
}
