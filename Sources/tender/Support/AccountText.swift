import Foundation
import TenderCore

/// Accounts and balances as people read them.
enum AccountText {
    /// One row per bucket, then the total.
    static func balanceRows(_ balances: Balances, indent: String = "  ") -> [[String]] {
        Bucket.holderBuckets.map { [indent + bucketName($0), balances[$0].description] }
            + [[indent + "total", balances.total.description]]
    }

    static func bucketName(_ bucket: Bucket) -> String {
        bucket == .lockedCollateral ? "locked collateral" : bucket.rawValue
    }

    /// Reputation basis points as a score in [0, 1]: `0.9500`.
    static func reputation(_ basisPoints: Int) -> String {
        let clamped = max(0, basisPoints)
        let fraction = String(clamped % 10_000)
        return "\(clamped / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }

    /// Unbonding entries: `5.000000 from 2025-11-21 20:41:03Z (in 2h00m)`.
    static func unbonding(_ entries: [UnbondingEntry]) -> [String] {
        entries.map { "\($0.amount) from \(Display.time($0.releaseAt))" }
    }

    /// The account view `tender ledger balance` and `tender provider show` print.
    static func details(_ view: API.AccountView, showProfile: Bool) -> [String] {
        var rows = balanceRows(view.balances)
        rows.append(["  reputation", reputation(view.reputationBasisPoints)])
        if let jailedUntil = view.jailedUntil { rows.append(["  jailed until", Display.time(jailedUntil)]) }
        for (index, line) in unbonding(view.unbonding).enumerated() {
            rows.append([index == 0 ? "  withdrawable" : "", line])
        }
        if showProfile, let profile = view.profile {
            rows.append(["  profile", TenderDocument.profile(profile).summary])
            if !profile.attributes.isEmpty {
                rows.append(["  attributes", profile.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")])
            }
            rows.append(["  concurrency", String(profile.concurrency)])
        }
        rows.append(["  last nonce", String(view.lastNonce)])
        return ["account \(view.account.hex)"] + Display.table(rows)
    }
}
