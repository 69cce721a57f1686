/// A provider's reputation in basis points of 1 (0...10,000).
///
/// Earned slowly, lost quickly: each settled lease closes 5% of the gap to 1; a missed deadline
/// takes away a quarter; a slash takes away three quarters. New providers start at 0.5, so a
/// manifest asking for more than that only reaches providers with a record.
public enum Reputation {
    public static let initialBasisPoints = 5_000
    public static let maximum = 10_000

    public static func apply(_ event: ReputationEvent, to basisPoints: Int) -> Int {
        let current = min(max(basisPoints, 0), maximum)
        switch event {
        case .settled: return current + (maximum - current + 19) / 20
        case .missedDeadline: return current - current / 4
        case .slashed: return current / 4
        }
    }
}
