import TenderCore

/// How one of a challenger's disputes ended, and what it did to the challenger's money
/// (DESIGN section 8): a won dispute returns the bond and pays 40% of the slashed collateral; a
/// lost one forfeits the bond; a voided one (the lease was proven fraudulent elsewhere first)
/// returns the bond and pays nothing.
public struct DisputeOutcome: Sendable, Equatable, Codable {
    /// What became of the challenger's bond.
    public enum Bond: String, Sendable, Equatable, Codable {
        /// The game is not over.
        case held
        case returned
        case forfeited
    }

    /// The dispute as last read: its moves and, once over, its ruling.
    public var dispute: API.DisputeView
    public var bond: Bond
    /// The challenger's share of the slashed collateral; zero unless it won.
    public var slashShare: Amount

    /// The outcome of `dispute` on a lease that locked `collateral`.
    public init(_ dispute: API.DisputeView, collateral: Amount) {
        self.dispute = dispute
        switch dispute.ruling {
        case nil:
            bond = .held
            slashShare = .zero
        case let ruling?:
            switch ruling.winner {
            case .challenger:
                bond = .returned
                slashShare = (try? collateral.basisPoints(Ledger.slashChallengerBasisPoints)) ?? .zero
            case .provider:
                bond = .forfeited
                slashShare = .zero
            case nil:
                bond = .returned
                slashShare = .zero
            }
        }
    }

    public var isResolved: Bool { dispute.ruling != nil }
    public var won: Bool { dispute.ruling?.winner == .challenger }
    public var lost: Bool { dispute.ruling?.winner == .provider }
}
